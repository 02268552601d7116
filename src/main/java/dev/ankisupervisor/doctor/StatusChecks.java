package dev.ankisupervisor.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ankisupervisor.backup.LastBackupFile;
import dev.ankisupervisor.files.TextFile;
import dev.ankisupervisor.model.SyncOutcome;
import dev.ankisupervisor.model.SyncState;
import dev.ankisupervisor.systemd.TimerState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/** The last sync (sync-status.json, schema 1) and the last backup (last-backup.json). */
final class StatusChecks {
  private final DoctorSettings s;
  private final Clock clock;
  private final Function<String, Optional<TimerState>> timers;

  StatusChecks(DoctorSettings s, Clock clock, Function<String, Optional<TimerState>> timers) {
    this.s = s;
    this.clock = clock;
    this.timers = timers;
  }

  Finding lastSync() {
    Path file = s.statusFile();
    JsonNode sync;
    try {
      if (!Files.exists(file)) {
        return Finding.problem("last-sync", "no status file at " + file,
            "start the service (systemctl start anki-connect) or point --status-file at its file");
      }
      sync = new ObjectMapper().readTree(TextFile.read(file, TextFile.SETTINGS_MAX_BYTES)).path("sync");
    } catch (IOException e) {
      return Finding.problem("last-sync", file + " is not a readable JSON file (" + e.getMessage().lines().findFirst().orElse("") + ")",
          "restart the service: it rewrites the file atomically");
    }
    String state = sync.path("state").asText("unknown");
    Optional<SyncOutcome> outcome = outcomeNamed(state);
    if (state.equals(SyncState.DISABLED.statusName())) {
      return Finding.ok("last-sync", "sync is disabled");
    }
    String error = sync.path("error").path("message").asText("");
    String why = "state " + state + (error.isEmpty() ? "" : ", error: " + error);
    Optional<Instant> success = instant(sync.path("lastSuccessAt"));
    if (success.isEmpty()) {
      return Finding.problem("last-sync", "never synced successfully (" + why + ")", syncFix(outcome));
    }
    Duration age = Duration.between(success.get(), clock.instant());
    if (age.compareTo(s.maxSyncAge()) > 0) {
      return Finding.problem("last-sync", "last successful sync " + ago(age) + " (at " + success.get() + "; " + why + ")",
          syncFix(outcome));
    }
    return Finding.ok("last-sync", "last successful sync " + ago(age) + " (" + state + ")");
  }

  Finding lastBackup() {
    if (s.backupDir().isEmpty()) {
      return Finding.ok("last-backup", "not checked (no --backup-dir)");
    }
    Path file = s.backupDir().get().resolve(LastBackupFile.NAME);
    Optional<LastBackupFile.LastBackup> last;
    try {
      last = LastBackupFile.read(file);
    } catch (IOException | RuntimeException e) {
      return Finding.problem("last-backup", file + " cannot be read (" + e.getMessage() + ")",
          "run a backup: systemctl start anki-sync-backup (it rewrites the file)");
    }
    if (last.isEmpty()) {
      Optional<TimerState> timer = timers.apply(s.backupTimer());
      if (timer.isPresent() && timer.get().active() && !timer.get().hasRun()) {
        // A fresh install: the timer is on and its first run is still ahead.
        return Finding.ok("last-backup", "no backup yet: " + s.backupTimer() + " is active and has not run yet"
            + (timer.get().next().isEmpty() ? "" : " (next: " + timer.get().next() + ")")
            + "; systemctl start anki-sync-backup makes one now");
      }
      String why = timer.isEmpty() ? "" : timer.get().active() ? " although " + s.backupTimer() + " has run"
          : "; " + s.backupTimer() + " is not active";
      return Finding.problem("last-backup", "no backup has run: " + file + " is missing" + why,
          timer.isPresent() && timer.get().active()
              ? "journalctl -u anki-sync-backup; check --backup-dir against the unit's --dest"
              : "systemctl enable --now " + s.backupTimer() + ", or check --backup-dir");
    }
    LastBackupFile.LastBackup b = last.get();
    if (b.lastSuccessAt().isEmpty()) {
      return Finding.problem("last-backup", "no backup ever succeeded" + b.error().map(e -> "; last error: " + e).orElse(""),
          "journalctl -u anki-sync-backup, fix the cause, then systemctl start anki-sync-backup");
    }
    Duration age = Duration.between(b.lastSuccessAt().get(), clock.instant());
    if (age.compareTo(s.maxBackupAge()) > 0 || !b.ok()) {
      return Finding.problem("last-backup", "last successful backup " + ago(age)
          + (b.ok() ? "" : b.error().map(e -> "; the last run failed: " + e).orElse("; the last run failed")),
          "journalctl -u anki-sync-backup; systemctl list-timers anki-sync-backup.timer; systemctl start anki-sync-backup");
    }
    return Finding.ok("last-backup", "last successful backup " + ago(age));
  }

  /** The outcome a state names; empty for never, disabled, or a name this version does not know. */
  private static Optional<SyncOutcome> outcomeNamed(String state) {
    try {
      return SyncState.fromStatusName(state).outcome();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String syncFix(Optional<SyncOutcome> outcome) {
    return switch (outcome.orElse(SyncOutcome.UNKNOWN)) {
      case AUTH_MISSING, AUTH_FAILED -> "check --sync-user and --sync-password-file against the sync server's SYNC_USER1";
      case NETWORK_ERROR, TIMEOUT, SERVER_ERROR -> "check the sync server (its line above) and --sync-url";
      case FULL_SYNC_REQUIRED, CONFLICT -> "resolve it: anki-supervisor full-sync (see its --help)";
      default -> "journalctl -u anki-connect; anki-supervisor sync-now";
    };
  }

  private static Optional<Instant> instant(JsonNode n) {
    try {
      return n.isTextual() ? Optional.of(Instant.parse(n.asText())) : Optional.empty();
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static String ago(Duration d) {
    if (d.toMinutes() < 2) {
      return d.toSeconds() + " s ago";
    }
    return d.toHours() < 2 ? d.toMinutes() + " min ago" : d.toHours() + " h ago";
  }
}
