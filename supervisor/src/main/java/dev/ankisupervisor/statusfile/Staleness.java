package dev.ankisupervisor.statusfile;

import dev.ankisupervisor.model.HumanDuration;
import dev.ankisupervisor.model.SyncState;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * How old the last successful sync is, the one rule {@code status}, {@code check} and {@code doctor}
 * apply to a status file (docs/status.md). The age counts from the last success, or from the
 * supervisor's start before the first one, in the file's own sync interval:
 *
 * <ol>
 *   <li>sync {@code disabled}: fresh (nothing is due);
 *   <li>older than {@value #CRITICAL_INTERVALS} intervals: critical;
 *   <li>older than {@value #WARNING_INTERVALS} intervals: warning;
 *   <li>no success yet and the last attempt failed: warning (there is no sync to be fresh);
 *   <li>else fresh.
 * </ol>
 * Immutable; any thread.
 *
 * @param level fresh, warning or critical
 * @param reason one line: the age and the limit it was held against
 */
public record Staleness(Level level, String reason) {
  /** Past this many intervals the sync is stale: a warning. */
  public static final int WARNING_INTERVALS = 2;
  /** Past this many intervals the sync is stale enough to be critical. */
  public static final int CRITICAL_INTERVALS = 3;
  /** A bound far above any interval run accepts, far below overflow when multiplied. */
  private static final long MAX_INTERVAL_SECONDS = 1L << 40;

  /** How stale. */
  public enum Level {
    FRESH,
    WARNING,
    CRITICAL
  }

  public Staleness {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(reason, "reason");
  }

  public boolean isFresh() {
    return level == Level.FRESH;
  }

  /** The reason, led by the level when stale ({@code warning: last successful sync ...}). */
  public String describe() {
    return isFresh() ? reason : level.name().toLowerCase(Locale.ROOT) + ": " + reason;
  }

  public static Staleness of(StatusDocument doc, Instant now) {
    SyncView sync = doc.sync();
    if (sync.state() == SyncState.DISABLED) {
      return new Staleness(Level.FRESH, "periodic sync disabled (interval 0)");
    }
    Instant since = sync.lastSuccessAt() != null ? sync.lastSuccessAt() : doc.supervisor().startedAt();
    String what = (sync.lastSuccessAt() != null ? "last successful sync " : "no successful sync since the supervisor"
        + " started ") + HumanDuration.ago(since, now);
    if (sync.intervalSeconds() > 0) {
      // Any number may stand in the file: clamp so the multiples below cannot overflow.
      Duration interval = Duration.ofSeconds(Math.min(sync.intervalSeconds(), MAX_INTERVAL_SECONDS));
      Duration age = Duration.between(since, now);
      if (age.compareTo(interval.multipliedBy(CRITICAL_INTERVALS)) > 0) {
        return new Staleness(Level.CRITICAL, what + " (more than " + CRITICAL_INTERVALS + " intervals of "
            + HumanDuration.of(interval) + ")");
      }
      if (age.compareTo(interval.multipliedBy(WARNING_INTERVALS)) > 0) {
        return new Staleness(Level.WARNING, what + " (more than " + WARNING_INTERVALS + " intervals of "
            + HumanDuration.of(interval) + ")");
      }
      what += " (within " + WARNING_INTERVALS + " intervals of " + HumanDuration.of(interval) + ")";
    } else {
      what += " (no periodic sync: interval 0)";
    }
    if (sync.lastSuccessAt() == null && sync.hasFailed()) {
      return new Staleness(Level.WARNING, what + "; the last attempt failed: " + sync.state()
          + (sync.error() == null ? "" : ": " + sync.error().message()));
    }
    return new Staleness(Level.FRESH, what);
  }
}
