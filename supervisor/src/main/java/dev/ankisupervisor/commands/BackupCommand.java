package dev.ankisupervisor.commands;

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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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
  static final String NAME = "backup";

  static final Flag<Path> SOURCE = Flag.path("--source", "DIR",
      "The sync server's data folder (SYNC_BASE), e.g. /var/lib/anki-sync-server. Only read.").required();

  static final Flag<Path> DEST = Flag.path("--dest", "DIR",
      "The folder holding the backups, e.g. /mnt/data/backups/anki (created if its parent exists).").required();

  static final Flag<String> STOP_UNIT = Flag.text("--stop-unit", "UNIT",
      "Stop this systemd unit for the copy and always start it again, e.g. anki-sync-server.service."
          + " Without it the copy is live.");

  static final Flag<Integer> KEEP_DAILY = Flag.number("--keep-daily", "N",
      "Keep the newest backup of each of the last N days that have one (default: ${DEFAULT-VALUE}).").withDefault("7");

  static final Flag<Integer> KEEP_WEEKLY = Flag.number("--keep-weekly", "N",
      "... of each of the last N ISO weeks (default: ${DEFAULT-VALUE}).").withDefault("4");

  static final Flag<Integer> KEEP_MONTHLY = Flag.number("--keep-monthly", "N",
      "... of each of the last N months (default: ${DEFAULT-VALUE}). All three 0: keep everything.").withDefault("6");

  static final Flag<Integer> PASSES = Flag.number("--passes", "N",
      "Live copy: at most N passes to get one during which nothing wrote, or two that agree"
          + " (default: ${DEFAULT-VALUE}, at least 2).").withDefault("5");

  static final Flag<Boolean> JSON = Flag.toggle("--json",
      "Print only the JSON summary line (no progress, no human summary).");

  static final Flag<Duration> PROGRESS_INTERVAL = Flag.duration("--progress-interval",
      "When stderr is not a terminal (the journal): a progress line this often (default: ${DEFAULT-VALUE})."
          + " On a terminal the percentage is redrawn in place.").withDefault("5s");

  static final Flag<Duration> SYSTEMCTL_TIMEOUT = Flag.duration("--systemctl-timeout",
      "With --stop-unit: how long to wait for systemctl stop and start (default: ${DEFAULT-VALUE}).")
      .withDefault("120s");

  /** Every flag, in the order usage lists them. */
  static final List<Flag<?>> FLAGS = List.of(SOURCE, DEST, STOP_UNIT, KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY, PASSES,
      JSON, PROGRESS_INTERVAL, SYSTEMCTL_TIMEOUT);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin CommandLine.Model.CommandSpec options = FlagSpecs.mixin(FLAGS);

  /**
   * One backup as the flags ask for it, every setting checked before anything is touched.
   *
   * @param request what to copy where, and what to keep
   * @param control how a --stop-unit is stopped and started
   * @param json whether only the JSON summary is printed
   * @param progressInterval how often a progress line is printed to a journal
   */
  record Job(BackupRequest request, SystemctlControl control, boolean json, Duration progressInterval) {}

  @Override
  public Integer call() throws BackupException {
    return run(job(FlagSpecs.values(spec), spec), spec.commandLine().getOut(), spec.commandLine().getErr());
  }

  /**
   * {@code backup} without picocli, for the command lines its timer uses (the flags above, as
   * {@link QuickParse} reads them): the same backup, output and exit code, without picocli's part of
   * the start, which is most of a small incremental backup's time (docs/performance.md). Anything
   * else, and a setting refused, is left to picocli (nothing is touched before that decision).
   *
   * @param args the whole command line, {@code backup} first
   * @return the exit code, or empty when picocli must handle it
   */
  static OptionalInt quick(String[] args, Map<String, String> env) {
    Optional<Job> job = quickJob(args, env);
    if (job.isEmpty()) {
      return OptionalInt.empty();
    }
    PrintWriter err = ConsoleWriters.err();
    try {
      return OptionalInt.of(run(job.get(), ConsoleWriters.out(), err));
    } catch (RuntimeException | BackupException e) {
      return OptionalInt.of(FailureReport.print(e, NAME, err, new ErrorLine(env), false, ExitCodeMapper::exitCodeOf));
    }
  }

  /** The job of {@code args} read without picocli, or empty when picocli must read them (or refuse a setting). */
  static Optional<Job> quickJob(String[] args, Map<String, String> env) {
    if (args.length == 0 || !args[0].equals(NAME)) {
      return Optional.empty();
    }
    Optional<QuickParse.Result> read = QuickParse.of(NAME, Arrays.asList(args).subList(1, args.length), FLAGS, env);
    try {
      return read.map(r -> job(r.values(), null));
    } catch (RuntimeException e) {
      return Optional.empty(); // picocli's path refuses it, in its words
    }
  }

  /**
   * The job the flags ask for.
   *
   * @param spec the command (to tell a flag's value from a variable's in a refusal); null: as from flags
   * @throws UserError USAGE (64) or CONFIG (78) for a bad setting
   */
  static Job job(FlagValues v, CommandLine.Model.CommandSpec spec) {
    BackupRequest request = SettingsCheck.checked(spec, () -> new BackupRequest(v.get(SOURCE), v.get(DEST),
        Optional.ofNullable(v.get(STOP_UNIT)), new BackupRequest.Retention(v.get(KEEP_DAILY), v.get(KEEP_WEEKLY),
        v.get(KEEP_MONTHLY)), v.get(PASSES)),
        "--source", "--dest", "--stop-unit", "--keep-daily", "--keep-weekly", "--keep-monthly", "--passes");
    SystemctlControl control = new SystemctlControl(v.get(SYSTEMCTL_TIMEOUT));
    Duration progressInterval = v.get(PROGRESS_INTERVAL);
    if (progressInterval.compareTo(Duration.ofMillis(100)) < 0) {
      throw new UserError(ExitCode.USAGE, "--progress-interval must be at least 100ms, found " + progressInterval);
    }
    return new Job(request, control, v.get(JSON), progressInterval);
  }

  /**
   * Runs the job on this thread: progress on {@code err}, the summary on {@code out}; the exit code.
   *
   * @throws BackupException when the backup fails (its code is {@link ExitCodeMapper}'s)
   */
  static int run(Job job, PrintWriter out, PrintWriter err) throws BackupException {
    BackupProgress progress = new BackupProgress(Sleeper.system()::nanos);
    BackupProgressPrinter printer = job.json() ? null
        : new BackupProgressPrinter(err, progress, job.progressInterval());
    Backup backup = new Backup(job.control(), Clock.systemUTC(), Sleeper.system()::nanos, line -> {
      if (printer != null) {
        printer.log(line);
      }
    }, progress, TestSeams.backupCopyPause());
    Thread hook = new Thread(backup::abort, "backup-abort");
    Runtime.getRuntime().addShutdownHook(hook);
    BackupResult result;
    try {
      result = backup.run(job.request());
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
    if (!job.json()) {
      out.printf("backup complete: %s (%d files, %d linked, %d bytes copied, %d bytes linked, %d ms)%n",
          result.path(), result.files(), result.filesLinked(), result.bytesCopied(), result.bytesLinked(),
          result.durationMs());
    }
    out.println(result.toJson());
    out.flush();
    return ExitCode.OK.code();
  }
}
