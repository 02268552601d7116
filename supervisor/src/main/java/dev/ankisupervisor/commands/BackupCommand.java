package dev.ankisupervisor.commands;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ankisupervisor.backup.Backup;
import dev.ankisupervisor.backup.BackupException;
import dev.ankisupervisor.backup.BackupProgress;
import dev.ankisupervisor.backup.BackupRequest;
import dev.ankisupervisor.backup.BackupResult;
import dev.ankisupervisor.backup.SystemctlControl;
import dev.ankisupervisor.os.Sleeper;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code anki-supervisor backup}: one verified backup of the sync server's data (the folder
 * $SYNC_BASE, S2). Parses the flags, runs {@link Backup} on this thread (a shutdown hook restarts a stopped
 * unit and removes the staging folder on SIGTERM), prints the JSON summary, maps failures to exit
 * codes: 0 done, 65 a copy failed its integrity check or the source kept changing, 74 I/O error,
 * 78 empty/missing source or a bad setting.
 */
@Command(
    name = "backup",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Makes a verified backup of the sync server's data ($SYNC_BASE) into a new folder of --dest named"
          + " for its UTC time, hard-linking unchanged media to the previous backup, then applies retention.",
      "Without --stop-unit the copy is live: each database is copied with its -wal until a pass during which"
          + " nothing wrote, or two passes that agree."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the backup is complete and verified",
      "65:a copied database failed pragma integrity_check, or the source kept changing (live copy)",
      "74:an I/O error (disk full, permissions)",
      "78:the source is missing or empty (nothing touched), or a setting is wrong (--dest, --stop-unit)"
    })
final class BackupCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--source", required = true, paramLabel = "DIR",
      description = "The sync server's data folder (SYNC_BASE), e.g. /var/lib/anki-sync-server. Only read.")
  Path source;

  @Option(names = "--dest", required = true, paramLabel = "DIR",
      description = "The folder holding the backups, e.g. /mnt/data/backups/anki (created if its parent exists).")
  Path dest;

  @Option(names = "--stop-unit", paramLabel = "UNIT",
      description = "Stop this systemd unit for the copy and always start it again, e.g. anki-sync-server.service."
          + " Without it the copy is live.")
  String stopUnit;

  @Option(names = "--keep-daily", defaultValue = "7", paramLabel = "N",
      description = "Keep the newest backup of each of the last N days that have one (default: ${DEFAULT-VALUE}).")
  int keepDaily;

  @Option(names = "--keep-weekly", defaultValue = "4", paramLabel = "N",
      description = "... of each of the last N ISO weeks (default: ${DEFAULT-VALUE}).")
  int keepWeekly;

  @Option(names = "--keep-monthly", defaultValue = "6", paramLabel = "N",
      description = "... of each of the last N months (default: ${DEFAULT-VALUE}). All three 0: keep everything.")
  int keepMonthly;

  @Option(names = "--passes", defaultValue = "5", paramLabel = "N",
      description = "Live copy: at most N passes to get one during which nothing wrote, or two that agree"
          + " (default: ${DEFAULT-VALUE}, at least 2).")
  int passes;

  @Option(names = "--json", description = "Print only the JSON summary line (no progress, no human summary).")
  boolean json;

  @Option(names = "--progress-interval", defaultValue = "5s", converter = DurationConverter.class, paramLabel = "DURATION",
      description = "When stderr is not a terminal (the journal): a progress line this often (default: ${DEFAULT-VALUE})."
          + " On a terminal the percentage is redrawn in place.")
  Duration progressInterval;

  @Option(names = "--systemctl-timeout", defaultValue = "120s", converter = DurationConverter.class,
      paramLabel = "DURATION",
      description = "With --stop-unit: how long to wait for systemctl stop and start (default: ${DEFAULT-VALUE}).")
  Duration systemctlTimeout;

  @Override
  public Integer call() throws BackupException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    BackupRequest request = SettingsCheck.checked(spec, () -> new BackupRequest(source, dest,
        Optional.ofNullable(stopUnit), new BackupRequest.Retention(keepDaily, keepWeekly, keepMonthly), passes),
        "--source", "--dest", "--stop-unit", "--keep-daily", "--keep-weekly", "--keep-monthly", "--passes");
    SystemctlControl control = new SystemctlControl(systemctlTimeout);
    if (progressInterval.compareTo(Duration.ofMillis(100)) < 0) {
      throw new UserError(ExitCode.USAGE, "--progress-interval must be at least 100ms, found " + progressInterval);
    }
    BackupProgress progress = new BackupProgress(Sleeper.system()::nanos);
    BackupProgressPrinter printer = json ? null : new BackupProgressPrinter(err, progress, progressInterval);
    Backup backup = new Backup(control, Clock.systemUTC(), Sleeper.system()::nanos, line -> {
      if (printer != null) {
        printer.log(line);
      }
    }, progress, TestSeams.backupCopyPause());
    Thread hook = new Thread(backup::abort, "backup-abort");
    Runtime.getRuntime().addShutdownHook(hook);
    BackupResult result;
    try {
      result = backup.run(request);
    } finally {
      if (printer != null) {
        printer.close();
      }
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The JVM is already stopping: the hook runs (it is idempotent).
      }
    }
    if (!json) {
      out.printf("backup complete: %s (%d files, %d linked, %d bytes copied, %d bytes linked, %d ms)%n",
          result.path(), result.files(), result.filesLinked(), result.bytesCopied(), result.bytesLinked(),
          result.durationMs());
    }
    try {
      out.println(new ObjectMapper().writeValueAsString(result.toMap()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("summary is plain data", e);
    }
    out.flush();
    return ExitCode.OK.code();
  }
}
