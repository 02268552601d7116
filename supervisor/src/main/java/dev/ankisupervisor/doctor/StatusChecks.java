package dev.ankisupervisor.doctor;

import dev.ankisupervisor.backup.LastBackupFile;
import dev.ankisupervisor.model.FullSyncDirection;
import dev.ankisupervisor.model.HumanDuration;
import dev.ankisupervisor.model.SyncOutcome;
import dev.ankisupervisor.model.SyncState;
import dev.ankisupervisor.statusfile.Staleness;
import dev.ankisupervisor.statusfile.StatusDocument;
import dev.ankisupervisor.statusfile.StatusReader;
import dev.ankisupervisor.statusfile.SyncView;
import dev.ankisupervisor.sync.FullSyncCommands;
import dev.ankisupervisor.systemd.TimerState;
import dev.ankisupervisor.systemd.UnitSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/** The last sync (sync-status.json, through the one status reader) and the last backup (last-backup.json). */
final class StatusChecks {
  private final DoctorSettings s;
  private final Clock clock;
  private final Function<String, Optional<TimerState>> timers;

  StatusChecks(DoctorSettings s, Clock clock, Function<String, Optional<TimerState>> timers) {
    this.s = s;
    this.clock = clock;
    this.timers = timers;
  }

  /** The last sync by the one {@link Staleness} rule that {@code status} and {@code check} apply too. */
  Finding lastSync() {
    Path file = s.statusFile();
    if (!Files.exists(file)) {
      return Finding.problem(DoctorCheck.LAST_SYNC, "no status file at " + file,
          "start the service (systemctl start anki-connect) or point --status-file at its file");
    }
    StatusReader.Read read = StatusReader.read(file);
    if (read instanceof StatusReader.Unusable u) {
      return Finding.problem(DoctorCheck.LAST_SYNC, u.reason(), "restart the service: it rewrites the file atomically");
    }
    StatusDocument doc = ((StatusReader.Parsed) read).document();
    SyncView sync = doc.sync();
    if (sync.state() == SyncState.DISABLED) {
      return Finding.ok(DoctorCheck.LAST_SYNC, "sync is disabled");
    }
    Staleness staleness = Staleness.of(doc, clock.instant());
    String state = "state " + sync.state() + (sync.error() == null ? "" : ", error: " + sync.error().message());
    if (!staleness.isFresh()) {
      return Finding.problem(DoctorCheck.LAST_SYNC, staleness.describe() + " (" + state + ")", syncFix(sync));
    }
    return Finding.ok(DoctorCheck.LAST_SYNC, staleness.reason() + " (" + state + ")");
  }

  Finding lastBackup() {
    if (s.backupDir().isEmpty()) {
      return Finding.ok(DoctorCheck.LAST_BACKUP, "not checked (no --backup-dir)");
    }
    Path file = s.backupDir().get().resolve(LastBackupFile.NAME);
    Optional<LastBackupFile.LastBackup> last;
    try {
      last = LastBackupFile.read(file);
    } catch (IOException | RuntimeException e) {
      return Finding.problem(DoctorCheck.LAST_BACKUP, file + " cannot be read (" + e.getMessage() + ")",
          "run a backup: systemctl start anki-sync-backup (it rewrites the file)");
    }
    if (last.isEmpty()) {
      Optional<TimerState> timer = timers.apply(s.backupTimer());
      if (timer.isPresent() && timer.get().active() && !timer.get().hasRun()) {
        // A fresh install: the timer is on and its first run is still ahead.
        return Finding.ok(DoctorCheck.LAST_BACKUP, "no backup yet: " + s.backupTimer() + " is active and has not run yet"
            + (timer.get().next().isEmpty() ? "" : " (next: " + timer.get().next() + ")")
            + "; systemctl start anki-sync-backup makes one now");
      }
      String why = timer.isEmpty() ? "" : timer.get().active() ? " although " + s.backupTimer() + " has run"
          : "; " + s.backupTimer() + " is not active";
      return Finding.problem(DoctorCheck.LAST_BACKUP, "no backup has run: " + file + " is missing" + why,
          timer.isPresent() && timer.get().active()
              ? "journalctl -u anki-sync-backup; check --backup-dir against the unit's --dest"
              : "systemctl enable --now " + s.backupTimer() + ", or check --backup-dir");
    }
    LastBackupFile.LastBackup b = last.get();
    if (b.lastSuccessAt().isEmpty()) {
      return Finding.problem(DoctorCheck.LAST_BACKUP, "no backup ever succeeded" + b.error().map(e -> "; last error: " + e).orElse(""),
          "journalctl -u anki-sync-backup, fix the cause, then systemctl start anki-sync-backup");
    }
    Duration age = Duration.between(b.lastSuccessAt().get(), clock.instant());
    if (age.compareTo(s.maxBackupAge()) > 0 || !b.ok()) {
      return Finding.problem(DoctorCheck.LAST_BACKUP, "last successful backup "
          + HumanDuration.ago(b.lastSuccessAt().get(), clock.instant())
          + (b.ok() ? "" : b.error().map(e -> "; the last run failed: " + e).orElse("; the last run failed")),
          "journalctl -u anki-sync-backup; systemctl list-timers anki-sync-backup.timer; systemctl start anki-sync-backup");
    }
    return Finding.ok(DoctorCheck.LAST_BACKUP, "last successful backup " + HumanDuration.ago(b.lastSuccessAt().get(), clock.instant()));
  }

  private String syncFix(SyncView sync) {
    return switch (sync.state().outcome().orElse(SyncOutcome.UNKNOWN)) {
      case AUTH_MISSING, AUTH_FAILED -> "check --sync-user and --sync-password-file against the sync server's SYNC_USER1";
      case NETWORK_ERROR, TIMEOUT, SERVER_ERROR -> "check the sync server (its line above) and --sync-url";
      case FULL_SYNC_REQUIRED -> "run " + fullSyncResolution(sync);
      case CONFLICT -> "another client was syncing the same account; it is retried; anki-supervisor sync-now once it is done";
      default -> "journalctl -u anki-connect; anki-supervisor sync-now";
    };
  }

  /**
   * The commands the status file's message gives, as the supervisor made them (its unit included);
   * for a message without them, the same rule with doctor's --unit.
   */
  private String fullSyncResolution(SyncView sync) {
    return Optional.ofNullable(sync.error()).flatMap(e -> FullSyncCommands.resolutionIn(e.message()))
        .orElseGet(() -> new FullSyncCommands(s.unit().map(UnitSettings::unit))
            .resolving(Optional.ofNullable(sync.fullSyncDirection()).orElse(FullSyncDirection.EITHER)));
  }
}
