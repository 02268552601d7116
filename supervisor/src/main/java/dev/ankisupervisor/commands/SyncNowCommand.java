package dev.ankisupervisor.commands;

import dev.ankisupervisor.config.StateFiles;
import dev.ankisupervisor.model.SyncOutcome;
import dev.ankisupervisor.model.SyncState;
import dev.ankisupervisor.model.SyncTrigger;
import dev.ankisupervisor.os.ProcessIdentity;
import dev.ankisupervisor.os.Signals;
import dev.ankisupervisor.os.Sleeper;
import dev.ankisupervisor.statusfile.StatusDocument;
import dev.ankisupervisor.statusfile.StatusReader;
import dev.ankisupervisor.statusfile.SyncView;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sync-now}: finds the running supervisor through its own pidfile
 * ({@code <state-dir>/supervisor.pid}, written by {@code run}), sends it SIGUSR1, waits until the
 * status file shows a finished {@code manual} sync newer than the request (or the bootstrap that
 * became of it, or was running when asked: then it says so and waits for it, past {@code --timeout}
 * if need be), and prints it. Exit 0 when that sync was ok, 1 when it failed or no result came in
 * time, 3 when no supervisor runs.
 */
@Command(name = "sync-now", mixinStandardHelpOptions = true,
    description = "Asks the running supervisor for one sync now (SIGUSR1) and prints the result.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the sync ran and was ok", "1:the sync failed, or no result within --timeout",
        "3:no supervisor runs, or the pidfile's process is not provably ours (pid + start time, command line, status file)", "64:bad flags"})
final class SyncNowCommand implements Callable<Integer> {
  static final int SYNC_FAILED = 1;
  static final int NO_SUPERVISOR = 3;
  /** How long a running bootstrap is waited for: the full-sync timeout of run (10 min) and a minute. */
  static final Duration BOOTSTRAP_WAIT = Duration.ofMinutes(11);

  @Spec CommandSpec spec;

  @Option(names = "--supervisor-pid-file", paramLabel = "FILE",
      description = "The supervisor's own pidfile. Default: <state-dir>/supervisor.pid, the state folder being the"
          + " service's (ANKI_SUPERVISOR_STATE_DIR, or --unit's), else " + StateFiles.DEFAULT_STATE_DIR + ".")
  Path pidFile;

  @Mixin CommandSpec statusFile = FlagSpecs.mixin(StatusFileOption.FLAGS);

  @Mixin UnitOption unit;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "120s", converter = DurationConverter.class,
      description = "How long to wait for the result (default: ${DEFAULT-VALUE}); a sync may wait for one in flight.")
  Duration timeout;

  @Option(names = "--poll", paramLabel = "DURATION", defaultValue = "250ms", converter = DurationConverter.class,
      description = "How often to re-read the status file (default: ${DEFAULT-VALUE}).")
  Duration poll;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path pidFile = this.pidFile != null ? this.pidFile : StateFiles.supervisorPidFile(Path.of(
        SettingsDefaults.of(spec).flatMap(d -> d.serviceSetting("--state-dir")).orElse(StateFiles.DEFAULT_STATE_DIR)));
    OwnSupervisor.Verdict found = OwnSupervisor.check(pidFile, statusFile());
    if (found instanceof OwnSupervisor.NotOurs no) {
      err.println("sync-now: " + FailureReport.oneLine(no.reason()));
      return NO_SUPERVISOR;
    }
    ProcessIdentity supervisor = ((OwnSupervisor.Ours) found).process();
    long supervisorPid = supervisor.pid();
    Instant before = lastFinished().orElse(Instant.EPOCH);
    Instant asked = Instant.now();
    Optional<String> notSent = Signals.toProcess(supervisor, Signals.SIGUSR1);
    if (notSent.isPresent()) {
      err.println("sync-now: cannot send SIGUSR1 to pid " + supervisorPid + " (" + notSent.get()
          + "); run sync-now as the supervisor's user or root");
      return NO_SUPERVISOR;
    }
    Instant deadline = asked.plus(timeout);
    Instant bootstrapStart = null;
    while (Instant.now().isBefore(deadline)) {
      Optional<SyncView> done = askedSyncDone(before, asked);
      if (done.isPresent()) {
        return report(out, done.get(), done.get().trigger());
      }
      Optional<SyncView> after = bootstrapStart == null ? Optional.empty() : endedAfter(bootstrapStart);
      if (after.isPresent()) {
        // the bootstrap we waited for ended and our own request runs now: the bootstrap's outcome
        // is still the state (the manual one has not finished)
        return report(out, after.get(), SyncTrigger.BOOTSTRAP);
      }
      Optional<SyncView> bootstrap = bootstrapInFlight();
      if (bootstrap.isPresent()) {
        // The first sync of a fresh profile is the bootstrap's full download: it is the sync asked
        // for, and it may take as long as a full sync may (its own timeout), longer than --timeout.
        Instant itsEnd = bootstrap.get().lastAttemptAt().plus(BOOTSTRAP_WAIT);
        deadline = itsEnd.isAfter(deadline) ? itsEnd : deadline;
        if (bootstrapStart == null) {
          bootstrapStart = bootstrap.get().lastAttemptAt();
          out.println("sync-now: a bootstrap (the first full download of the server's collection) runs since "
              + bootstrapStart + "; it is the sync asked for; waiting for it (up to " + itsEnd + ")");
          out.flush();
        }
      }
      Sleeper.system().sleep(poll.toMillis() < 1 ? Duration.ofMillis(1) : poll);
    }
    err.println("sync-now: sent SIGUSR1 to pid " + supervisorPid + " but " + statusFile() + " showed no finished"
        + " manual sync within " + timeout.toSeconds() + " s; a long sync may still run; see the supervisor's log, or"
        + " raise --timeout");
    return SYNC_FAILED;
  }

  private static int report(PrintWriter out, SyncView s, SyncTrigger trigger) {
    String message = s.error() == null ? "" : ": " + s.error().message();
    out.println("sync " + s.state() + " (" + trigger.statusName() + ") in " + s.lastDurationMs() + " ms, finished "
        + s.lastFinishedAt() + message);
    out.flush();
    return s.state().outcome().filter(SyncOutcome::isSuccess).isPresent() ? 0 : SYNC_FAILED;
  }

  /** The document once an attempt that started at {@code start} has finished and the next one runs. */
  private Optional<SyncView> endedAfter(Instant start) {
    return document().map(StatusDocument::sync)
        .filter(s -> s.lastFinishedAt() != null && !s.lastFinishedAt().isBefore(start) && inFlight(s));
  }

  private Path statusFile() {
    return FlagSpecs.values(spec).get(StatusFileOption.STATUS_FILE);
  }

  private Optional<Instant> lastFinished() {
    return document().map(d -> d.sync().lastFinishedAt());
  }

  /**
   * The sync asked for, finished: a manual sync that started after our request (give or take a
   * second of clock skew), or a bootstrap that finished after it (a manual sync on a fresh profile
   * becomes the bootstrap, and a bootstrap running when we asked is the first sync we wanted).
   */
  private Optional<SyncView> askedSyncDone(Instant before, Instant asked) {
    return document().map(StatusDocument::sync)
        .filter(s -> s.lastFinishedAt() != null && s.lastFinishedAt().isAfter(before) && !inFlight(s))
        .filter(s -> s.trigger() == SyncTrigger.BOOTSTRAP
            || s.trigger() == SyncTrigger.MANUAL && s.lastAttemptAt() != null
                && !s.lastAttemptAt().isBefore(asked.minusSeconds(1)));
  }

  /** A bootstrap running now (it started after the last finished attempt). */
  private Optional<SyncView> bootstrapInFlight() {
    return document().map(StatusDocument::sync).filter(s -> s.trigger() == SyncTrigger.BOOTSTRAP && inFlight(s));
  }

  private static boolean inFlight(SyncView s) {
    return s.lastAttemptAt() != null && (s.lastFinishedAt() == null || s.lastAttemptAt().isAfter(s.lastFinishedAt()));
  }

  private Optional<StatusDocument> document() {
    return StatusReader.read(statusFile()) instanceof StatusReader.Parsed p ? Optional.of(p.document()) : Optional.empty();
  }

}
