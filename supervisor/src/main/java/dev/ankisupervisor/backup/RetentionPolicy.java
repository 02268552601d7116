package dev.ankisupervisor.backup;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Which backups to keep, with restic's meaning of --keep-daily/--keep-weekly/--keep-monthly: going
 * from the newest backup back, each rule keeps the newest backup of each of the last N days (ISO
 * weeks, months) that have a backup; a backup is kept if any rule keeps it. One difference: the
 * daily rule keeps the first backup of each of its days too, so a backup run by hand never
 * replaces that day's scheduled one. The newest backup is always kept, and all-zero rules keep
 * everything. A pure function: no clock, no files; any thread.
 */
public final class RetentionPolicy {
  private RetentionPolicy() {}

  /**
   * @param backups the times of the existing backups, in any order
   * @param zone the time zone whose calendar days, weeks and months count (the backups are named in UTC)
   * @return the backups to keep, newest first; every other one may be deleted
   */
  public static List<Instant> select(List<Instant> backups, BackupRequest.Retention retention, ZoneId zone) {
    Objects.requireNonNull(zone, "zone");
    List<Instant> newestFirst = new ArrayList<>(backups);
    newestFirst.sort(Comparator.reverseOrder());
    if (newestFirst.isEmpty() || retention.keepsEverything()) {
      return List.copyOf(newestFirst);
    }
    Set<Instant> keep = new LinkedHashSet<>();
    keep.add(newestFirst.get(0));
    keep.addAll(newestPerBucket(newestFirst, retention.keepDaily(), t -> day(t, zone)));
    keep.addAll(firstOfBuckets(newestFirst, retention.keepDaily(), t -> day(t, zone)));
    keep.addAll(newestPerBucket(newestFirst, retention.keepWeekly(), t -> {
      LocalDate d = day(t, zone);
      return d.get(IsoFields.WEEK_BASED_YEAR) * 100L + d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
    }));
    keep.addAll(newestPerBucket(newestFirst, retention.keepMonthly(), t -> {
      LocalDate d = day(t, zone);
      return d.getYear() * 100L + d.getMonthValue();
    }));
    return newestFirst.stream().filter(keep::contains).toList();
  }

  /** The first (newest) backup of each of the first {@code count} distinct buckets. */
  private static List<Instant> newestPerBucket(List<Instant> newestFirst, int count, Function<Instant, Object> bucket) {
    List<Instant> kept = new ArrayList<>();
    Object last = null;
    for (Instant t : newestFirst) {
      if (kept.size() == count) {
        break;
      }
      Object b = bucket.apply(t);
      if (!b.equals(last)) {
        kept.add(t);
        last = b;
      }
    }
    return kept;
  }

  /** The first (oldest) backup of each of the newest {@code count} distinct buckets. */
  private static List<Instant> firstOfBuckets(List<Instant> newestFirst, int count, Function<Instant, Object> bucket) {
    List<Instant> firsts = new ArrayList<>();
    Object current = null;
    int seen = 0;
    for (Instant t : newestFirst) {
      Object b = bucket.apply(t);
      if (!b.equals(current)) {
        if (seen == count) {
          break;
        }
        seen++;
        current = b;
        firsts.add(t);
      } else {
        firsts.set(firsts.size() - 1, t); // older in the same bucket
      }
    }
    return firsts;
  }

  private static LocalDate day(Instant t, ZoneId zone) {
    return LocalDate.ofInstant(t, zone);
  }
}
