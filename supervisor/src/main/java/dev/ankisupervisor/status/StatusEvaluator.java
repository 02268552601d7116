package dev.ankisupervisor.status;

import dev.ankisupervisor.model.HumanDuration;
import dev.ankisupervisor.model.SupervisorState;
import dev.ankisupervisor.model.SyncOutcome;
import dev.ankisupervisor.model.SyncState;
import dev.ankisupervisor.statusfile.Staleness;
import dev.ankisupervisor.statusfile.StatusDocument;
import dev.ankisupervisor.statusfile.StatusReader;
import dev.ankisupervisor.statusfile.SupervisorView;
import dev.ankisupervisor.statusfile.SyncView;
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
 *   <li>{@link Staleness} critical (no success within 3 intervals, counted from the supervisor's
 *       start before the first success): CRITICAL;
 *   <li>the last sync failed: WARNING;
 *   <li>{@link Staleness} warning (the last success is older than 2 intervals): WARNING;
 *   <li>else OK ({@code waiting_for_first_upload}, a fresh install with no card on either side,
 *       says so: nothing can be lost while it waits).
 * </ol>
 * A missing, unreadable, foreign or newer file is UNKNOWN ({@link StatusReader.Unusable}).
 */
public final class StatusEvaluator {
  private StatusEvaluator() {}

  public static Verdict evaluate(StatusDocument doc, Instant now, boolean supervisorAlive) {
    SupervisorView sup = doc.supervisor();
    SyncView sync = doc.sync();
    if (!supervisorAlive && sup.state() != SupervisorState.STOPPED) {
      return new Verdict(Health.CRITICAL, "stale status file: supervisor pid " + sup.pid() + " is gone"
          + (sup.startTicks() == null ? " or cannot be proven to be the writer (the file records no start time)"
              : " (no process with that pid and start time runs)")
          + " but the file says " + sup.state().statusName() + " (updated " + HumanDuration.ago(doc.updatedAt(), now)
          + "); it died without stopping; check its service (systemctl status anki-connect, or anki-connect@PROFILE)");
    }
    if (sup.state() == SupervisorState.FAILED) {
      return new Verdict(Health.CRITICAL, "supervisor failed (Anki kept failing or the setup is wrong); see its log");
    }
    if (sup.state() == SupervisorState.STOPPED) {
      return new Verdict(Health.WARNING, "supervisor stopped (updated " + HumanDuration.ago(doc.updatedAt(), now)
          + "); nothing syncs until it runs again");
    }
    if (sync.state().outcome().filter(SyncOutcome::isCritical).isPresent()) {
      return new Verdict(Health.CRITICAL, "sync " + sync.state() + ": " + errorText(sync));
    }
    if (sync.state() == SyncState.DISABLED) {
      return new Verdict(Health.OK, "supervisor " + sup.state().statusName() + "; periodic sync disabled (interval 0)");
    }
    Staleness staleness = Staleness.of(doc, now);
    if (staleness.level() == Staleness.Level.CRITICAL) {
      return new Verdict(Health.CRITICAL, staleness.reason()
          + (sync.hasFailed() ? "; last attempt " + sync.state() + ": " + errorText(sync) : ""));
    }
    if (sync.hasFailed()) {
      return new Verdict(Health.WARNING, "last sync " + sync.state() + ": " + errorText(sync) + "; "
          + staleness.reason());
    }
    if (staleness.level() == Staleness.Level.WARNING) {
      return new Verdict(Health.WARNING, staleness.reason());
    }
    return new Verdict(Health.OK, "supervisor " + sup.state().statusName() + "; " + (waiting(sync)
        ? WAITING + " (" + staleness.reason() + ")" : staleness.reason()));
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
}
