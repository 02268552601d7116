package dev.ankisupervisor.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** restic's --keep-daily/weekly/monthly over a simulated calendar. */
class RetentionPolicyTest {
  private static Instant at(String date, int hour) {
    return LocalDate.parse(date).atTime(hour, 0).toInstant(ZoneOffset.UTC);
  }

  /** One backup a day at 03:00 from {@code first} for {@code days} days. */
  private static List<Instant> daily(String first, int days) {
    List<Instant> all = new ArrayList<>();
    for (int i = 0; i < days; i++) {
      all.add(LocalDate.parse(first).plusDays(i).atTime(3, 0).toInstant(ZoneOffset.UTC));
    }
    return all;
  }

  private static List<Instant> keep(List<Instant> backups, int d, int w, int m) {
    return RetentionPolicy.select(backups, new BackupRequest.Retention(d, w, m), ZoneOffset.UTC);
  }

  @Test
  void keepDailyKeepsTheNewestOfEachOfTheLastNDaysThatHaveBackups() {
    // Two backups on 2026-11-26 and a gap on the 24th: the 7 days are the last 7 days WITH backups.
    List<Instant> backups = new ArrayList<>(daily("2026-11-15", 9)); // 15th..23rd
    backups.add(at("2026-11-25", 3));
    backups.add(at("2026-11-26", 3));
    backups.add(at("2026-11-26", 15));
    // The 26th keeps both: its first (the scheduled one) and its newest (one run by hand).
    assertThat(keep(backups, 7, 0, 0)).containsExactly(
        at("2026-11-26", 15), at("2026-11-26", 3), at("2026-11-25", 3), at("2026-11-23", 3), at("2026-11-22", 3),
        at("2026-11-21", 3), at("2026-11-20", 3), at("2026-11-19", 3));
  }

  @Test
  void aBackupRunByHandNeverReplacesThatDaysScheduledOne() {
    // The nightly backup at 03:10, then three by hand the same day: the nightly one and the newest
    // stay; the ones in between go (the day keeps at most two).
    List<Instant> backups = new ArrayList<>(List.of(at("2026-11-25", 3), at("2026-11-26", 3), at("2026-11-26", 12),
        at("2026-11-26", 14), at("2026-11-26", 16)));
    assertThat(keep(backups, 7, 0, 0)).containsExactly(at("2026-11-26", 16), at("2026-11-26", 3), at("2026-11-25", 3));
    // The default rules too: the scheduled one of the day survives a manual run.
    assertThat(keep(List.of(at("2026-11-26", 3), at("2026-11-26", 15)), 7, 4, 6))
        .containsExactly(at("2026-11-26", 15), at("2026-11-26", 3));
  }

  @Test
  void weeklyAndMonthlyRulesKeepTheNewestOfEachIsoWeekAndMonth() {
    // 2026-09-01 .. 2026-11-26: daily backups for 87 days.
    List<Instant> backups = daily("2026-09-01", 87);
    List<Instant> kept = keep(backups, 7, 4, 6);
    // Daily: 20th..26th. Weekly (ISO weeks start on Monday): 26th (Thu, week 48), 22nd (Sun, week
    // 47), 15th (week 46), 8th (week 45). Monthly: 26 Nov, 31 Oct, 30 Sep (only 3 months exist).
    List<Instant> expected = new ArrayList<>();
    for (int d = 26; d >= 20; d--) {
      expected.add(at("2026-11-" + d, 3));
    }
    expected.addAll(List.of(at("2026-11-15", 3), at("2026-11-08", 3), at("2026-10-31", 3), at("2026-09-30", 3)));
    assertThat(kept).containsExactlyElementsOf(expected);
  }

  @Test
  void newestIsAlwaysKeptEvenWhenEveryRuleWouldKeepNothingElse() {
    List<Instant> backups = daily("2026-11-01", 3);
    assertThat(keep(backups, 0, 0, 1)).containsExactly(at("2026-11-03", 3));
    assertThat(keep(List.of(at("2026-11-01", 3)), 1, 0, 0)).containsExactly(at("2026-11-01", 3));
  }

  @Test
  void allRulesZeroKeepsEverything() {
    List<Instant> backups = daily("2026-11-01", 5);
    assertThat(keep(backups, 0, 0, 0)).hasSize(5);
  }

  @Test
  void aYearOfDailyBackupsShrinksToDailyPlusWeeklyPlusMonthlyWithoutDuplicates() {
    List<Instant> backups = daily("2025-11-27", 365); // up to 2026-11-26
    List<Instant> kept = keep(backups, 7, 4, 6);
    // 7 days (20..26 Nov); weeks 48,47 overlap days 26 and 22; adds 15 and 8 Nov; months: 26 Nov
    // (already), 31 Oct, 30 Sep, 31 Aug, 31 Jul, 30 Jun.
    assertThat(kept).hasSize(7 + 2 + 5);
    assertThat(kept).contains(at("2026-06-30", 3)).doesNotContain(at("2026-05-31", 3));
    assertThat(kept.get(0)).isEqualTo(at("2026-11-26", 3));
  }

  @Test
  void orderOfTheInputDoesNotMatter() {
    List<Instant> backups = new ArrayList<>(daily("2026-10-01", 40));
    java.util.Collections.shuffle(backups, new java.util.Random(42));
    assertThat(keep(backups, 3, 2, 2)).isEqualTo(keep(daily("2026-10-01", 40), 3, 2, 2));
  }
}
