package dev.ankisupervisor.commands;

import dev.ankisupervisor.model.SyncOutcome;
import dev.ankisupervisor.model.SyncState;
import dev.ankisupervisor.model.SyncTrigger;
import dev.ankisupervisor.os.ProcessIdentity;
import dev.ankisupervisor.os.Signals;
import dev.ankisupervisor.os.Sleeper;
import dev.ankisupervisor.status.StatusDocument;
import dev.ankisupervisor.status.StatusReader;
import dev.ankisupervisor.status.SyncView;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sync-now}: finds the running supervisor through its own pidfile
 * ({@code <state-dir>/supervisor.pid}, written by {@code run}), sends it SIGUSR1, waits until the
 * status file shows a finished {@code manual} sync newer than the request, and prints it. Exit 0 when that sync was ok, 1 when it failed or no result came in time, 3 when no
 * supervisor runs.
 */
@Command(name = "sync-now", mixinStandardHelpOptions = true,
    description = "Asks the running supervisor for one sync now (SIGUSR1) and prints the result.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the sync ran and was ok", "1:the sync failed, or no result within --timeout",
        "3:no supervisor runs, or the pidfile's process is not provably ours (pid + start time, command line, status file)", "64:bad flags"})
final class SyncNowCommand implements Callable<Integer> {
  static final int SYNC_FAILED = 1;
  static final int NO_SUPERVISOR = 3;

  @Spec CommandSpec spec;

  @Option(names = "--supervisor-pid-file", paramLabel = "FILE", defaultValue = "/var/lib/anki/supervisor.pid",
      description = "The supervisor's own pidfile, <state-dir>/supervisor.pid (default: ${DEFAULT-VALUE}).")
  Path pidFile;

  @Option(names = "--status-file", paramLabel = "FILE", defaultValue = "/var/lib/anki/sync-status.json",
      description = "The status file the supervisor writes (default: ${DEFAULT-VALUE}).")
  Path statusFile;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "120s", converter = DurationConverter.class,
      description = "How long to wait for the result (default: ${DEFAULT-VALUE}); a sync may wait for one in flight.")
  Duration timeout;

  @Option(names = "--poll", paramLabel = "DURATION", defaultValue = "250ms", converter = DurationConverter.class,
      hidden = true, description = "How often to re-read the status file.")
  Duration poll;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    OwnSupervisor.Verdict found = OwnSupervisor.check(pidFile, statusFile);
    if (found instanceof OwnSupervisor.NotOurs no) {
      err.println("sync-now: " + AnkiSupervisorCommand.oneLine(no.reason()));
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
    while (Instant.now().isBefore(deadline)) {
      Optional<SyncView> done = manualSyncAfter(before, asked);
      if (done.isPresent()) {
        SyncView s = done.get();
        String message = s.error() == null ? "" : ": " + s.error().message();
        out.println("sync " + s.state() + " (manual) in " + s.lastDurationMs() + " ms, finished " + s.lastFinishedAt()
            + message);
        out.flush();
        return s.state() == SyncState.of(SyncOutcome.OK) ? 0 : SYNC_FAILED;
      }
      Sleeper.system().sleep(poll.toMillis() < 1 ? Duration.ofMillis(1) : poll);
    }
    err.println("sync-now: sent SIGUSR1 to pid " + supervisorPid + " but " + statusFile + " showed no finished"
        + " manual sync within " + timeout.toSeconds() + " s; a long sync may still run; see the supervisor's log, or"
        + " raise --timeout");
    return SYNC_FAILED;
  }

  private Optional<Instant> lastFinished() {
    return document().map(d -> d.sync().lastFinishedAt());
  }

  /** A finished manual sync that started after our request (give or take a second of clock skew). */
  private Optional<SyncView> manualSyncAfter(Instant before, Instant asked) {
    return document().map(StatusDocument::sync)
        .filter(s -> s.trigger() == SyncTrigger.MANUAL && s.lastFinishedAt() != null && s.lastFinishedAt().isAfter(before)
            && s.lastAttemptAt() != null && !s.lastAttemptAt().isBefore(asked.minusSeconds(1)));
  }

  private Optional<StatusDocument> document() {
    return StatusReader.read(statusFile) instanceof StatusReader.Parsed p ? Optional.of(p.document()) : Optional.empty();
  }

}
