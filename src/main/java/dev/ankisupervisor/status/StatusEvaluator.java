package dev.ankisupervisor.status;

import dev.ankisupervisor.model.SupervisorState;
import dev.ankisupervisor.model.SyncOutcome;
import dev.ankisupervisor.model.SyncState;
import java.time.Duration;
import java.time.Instant;

/**
 * Turns a status document into a Nagios verdict. A pure function of (document,
 * now, whether the supervisor's pid is alive); any thread. The rules, first match wins:
 *
 * <ol>
 *   <li>stale: the supervisor that wrote the file (pid AND start time) no longer runs and the state is
 *       not {@code stopped}: CRITICAL (it died without stopping, so nothing syncs; that needs a person
 *       as much as a failed state does). A pid now used by another process is not the writer;
 *   <li>supervisor {@code failed}: CRITICAL;
 *   <li>supervisor {@code stopped}: WARNING (stopped on purpose, but nothing syncs meanwhile);
 *   <li>sync {@code auth_missing}, {@code auth_failed}, {@code full_sync_required}: CRITICAL
 *       (retrying cannot fix them);
 *   <li>sync {@code disabled} (interval 0): OK;
 *   <li>no success within 3 intervals (counted from the supervisor's start before the first
 *       success): CRITICAL;
 *   <li>the last sync failed: WARNING;
 *   <li>the last success is older than 2 intervals: WARNING;
 *   <li>else OK ({@code waiting_for_first_upload}, a fresh install with no card on either side,
 *       says so: nothing can be lost while it waits).
 * </ol>
 * A missing, unreadable, foreign or newer file is UNKNOWN ({@link StatusReader.Unusable}).
 */
public final class StatusEvaluator {
  /** A bound far above any interval run accepts (365 days), far below overflow when multiplied. */
  private static final long MAX_INTERVAL_SECONDS = 1L << 40;

  private StatusEvaluator() {}

  public static Verdict evaluate(StatusDocument doc, Instant now, boolean supervisorAlive) {
    SupervisorView sup = doc.supervisor();
    SyncView sync = doc.sync();
    if (!supervisorAlive && sup.state() != SupervisorState.STOPPED) {
      return new Verdict(Health.CRITICAL, "stale status file: supervisor pid " + sup.pid() + " is gone"
          + (sup.startTicks() == null ? " or cannot be proven to be the writer (the file records no start time)"
              : " (no process with that pid and start time runs)")
          + " but the file says " + sup.state().statusName() + " (updated " + ago(doc.updatedAt(), now)
          + " ago); it died without stopping; check its service (systemctl status anki-connect, or anki-connect@PROFILE)");
    }
    if (sup.state() == SupervisorState.FAILED) {
      return new Verdict(Health.CRITICAL, "supervisor failed (Anki kept failing or the setup is wrong); see its log");
    }
    if (sup.state() == SupervisorState.STOPPED) {
      return new Verdict(Health.WARNING, "supervisor stopped (updated " + ago(doc.updatedAt(), now)
          + " ago); nothing syncs until it runs again");
    }
    if (sync.state().outcome().filter(SyncOutcome::isCritical).isPresent()) {
      return new Verdict(Health.CRITICAL, "sync " + sync.state() + ": " + errorText(sync));
    }
    if (sync.state() == SyncState.DISABLED) {
      return new Verdict(Health.OK, "supervisor " + sup.state().statusName() + "; periodic sync disabled (interval 0)");
    }
    if (sync.intervalSeconds() > 0) {
      // Any number may stand in the file: clamp so the multiples below cannot overflow.
      Duration interval = Duration.ofSeconds(Math.min(sync.intervalSeconds(), MAX_INTERVAL_SECONDS));
      Instant since = sync.lastSuccessAt() != null ? sync.lastSuccessAt() : sup.startedAt();
      Duration age = Duration.between(since, now);
      String what = sync.lastSuccessAt() != null ? "last successful sync " + ago(since, now) + " ago"
          : "no successful sync since the supervisor started " + ago(since, now) + " ago";
      if (age.compareTo(interval.multipliedBy(3)) > 0) {
        return new Verdict(Health.CRITICAL, what + " (more than 3 intervals of " + human(interval) + ")"
            + (sync.hasFailed() ? "; last attempt " + sync.state() + ": " + errorText(sync) : ""));
      }
      if (sync.hasFailed()) {
        return new Verdict(Health.WARNING, "last sync " + sync.state() + ": " + errorText(sync) + "; " + what);
      }
      if (age.compareTo(interval.multipliedBy(2)) > 0) {
        return new Verdict(Health.WARNING, what + " (more than 2 intervals of " + human(interval) + ")");
      }
      return new Verdict(Health.OK, "supervisor " + sup.state().statusName() + "; " + (waiting(sync)
          ? WAITING + " (checked " + ago(since, now) + " ago)" : what));
    }
    if (sync.hasFailed()) {
      return new Verdict(Health.WARNING, "last sync " + sync.state() + ": " + errorText(sync));
    }
    return new Verdict(Health.OK, "supervisor " + sup.state().statusName() + "; "
        + (waiting(sync) ? WAITING : "sync " + sync.state()));
  }

  /** What a fresh install is doing until a device uploads (an OK state, never an alarm). */
  static final String WAITING = "waiting for a first device to upload: the sync server and this profile hold no"
      + " cards; the first sync after a device uploaded downloads its collection";

  private static boolean waiting(SyncView sync) {
    return sync.state() == SyncState.of(SyncOutcome.WAITING_FOR_FIRST_UPLOAD);
  }

  private static String errorText(SyncView sync) {
    return sync.error() == null ? "(no message)" : sync.error().message();
  }

  static String ago(Instant then, Instant now) {
    return then == null ? "?" : human(Duration.between(then, now));
  }

  /** 4m12s, 2h03m, 45s. */
  static String human(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return (s / 60) + "m" + String.format("%02ds", s % 60);
    }
    if (s < 86400) {
      return (s / 3600) + "h" + String.format("%02dm", (s % 3600) / 60);
    }
    return (s / 86400) + "d" + String.format("%02dh", (s % 86400) / 3600);
  }
}
