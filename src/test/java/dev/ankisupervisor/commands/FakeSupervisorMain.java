package dev.ankisupervisor.commands;

import dev.ankisupervisor.model.SupervisorState;
import dev.ankisupervisor.model.SyncState;
import dev.ankisupervisor.status.AnkiView;
import dev.ankisupervisor.status.ConnectView;
import dev.ankisupervisor.status.StatusDocument;
import dev.ankisupervisor.status.StatusWriter;
import dev.ankisupervisor.status.SupervisorPidFile;
import dev.ankisupervisor.status.SupervisorView;
import dev.ankisupervisor.status.SyncView;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;

/**
 * A stand-in for the supervisor's signal side, for {@link SyncNowCommandIT}: installs a SIGUSR1
 * handler, THEN writes its pidfile (the order {@code run} must keep: SIGUSR1's default action kills
 * a JVM), and answers each signal by writing a finished manual sync into the status file, as the
 * wired supervisor will. Args: pidfile, status file, result state.
 */
public final class FakeSupervisorMain {
  private FakeSupervisorMain() {}

  @SuppressWarnings("sunapi")
  public static void main(String[] args) throws Exception {
    Path pidFile = Path.of(args[0]);
    StatusWriter writer = new StatusWriter(Path.of(args[1]));
    String result = args[2];
    long pid = ProcessHandle.current().pid();
    Instant started = Instant.now();
    writer.write(doc(pid, started, SyncView.initial(java.time.Duration.ofMinutes(5))));
    CountDownLatch forever = new CountDownLatch(1);
    sun.misc.Signal.handle(new sun.misc.Signal("USR1"), s -> {
      Instant t = Instant.now();
      SyncState state = SyncState.fromStatusName(result);
      writer.write(doc(pid, started, new SyncView(state, "manual", t, t.plusMillis(20), 20L,
          "ok".equals(result) ? t.plusMillis(20) : null, "ok".equals(result) ? 0 : 1, t.plusSeconds(300), 300, null,
          "ok".equals(result) ? null : new SyncView.SyncError(state.outcome().orElseThrow(),
              "the message for " + result))));
    });
    SupervisorPidFile.write(pidFile, pid);
    forever.await();
  }

  private static StatusDocument doc(long pid, Instant started, SyncView sync) {
    return new StatusDocument(1, Instant.now(), new SupervisorView(pid, "0.1.0", started, SupervisorState.READY),
        new AnkiView(null, "server", null, 0, null), new ConnectView(null, null, null, null, null), sync);
  }
}
