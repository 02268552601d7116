package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ankisupervisor.files.PidFile;
import dev.ankisupervisor.model.SupervisorState;
import dev.ankisupervisor.os.ProcessIdentity;
import dev.ankisupervisor.status.StatusWriter;
import dev.ankisupervisor.statusfile.AnkiView;
import dev.ankisupervisor.statusfile.ConnectView;
import dev.ankisupervisor.statusfile.StatusDocument;
import dev.ankisupervisor.statusfile.SupervisorView;
import dev.ankisupervisor.statusfile.SyncView;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * sync-now against real processes and a real SIGUSR1: the real supervisor (the shaded jar's
 * {@code run} with the stand-in) is signalled; an unrelated JVM, a reused pid or another status
 * file's supervisor never is.
 */
class SyncNowCommandIT {
  /** How long a wrongly signalled JVM has to die before we call it untouched. */
  private static final Duration SIGNAL_GRACE = Duration.ofSeconds(2);

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void killChildren() throws InterruptedException {
    for (Process p : started) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private int syncNow(Path pidFile, Path statusFile, String timeout) {
    CommandLine cl = AnkiSupervisorCommand.newCommandLine(java.util.Map.of());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute("sync-now", "--supervisor-pid-file", pidFile.toString(), "--status-file", statusFile.toString(),
        "--timeout", timeout);
  }

  private Path pidFile() {
    return dir.resolve("supervisor.pid");
  }

  private Path statusFile() {
    return dir.resolve("sync-status.json");
  }

  /** A plain JVM with no SIGUSR1 handler: the signal would kill it. */
  private Process unrelatedJava() throws Exception {
    Process p = new ProcessBuilder(SupervisorProcess.JAVA, "-XX:+UseSerialGC", "-Xmx32m", "-cp",
        System.getProperty("java.class.path"), IdleJavaMain.class.getName(), "600000").start();
    started.add(p);
    return p;
  }

  /** A status file that names {@code pid} as its supervisor, as `run` writes it. */
  private void statusFileNaming(long pid) {
    new StatusWriter(statusFile()).write(new StatusDocument(1, Instant.now(),
        new SupervisorView(ProcessIdentity.of(pid).orElseThrow(), "0.1.0", Instant.now(), SupervisorState.READY), new AnkiView(null, "server", null, 0, null),
        new ConnectView(null, null, null, null, null), SyncView.initial(Duration.ofMinutes(5))));
  }

  private static long startTicks(Process p) {
    return ProcessIdentity.of(p.pid()).orElseThrow().startTicks();
  }

  private static void assertStillAlive(Process p) throws InterruptedException {
    assertThat(p.waitFor(SIGNAL_GRACE.toMillis(), TimeUnit.MILLISECONDS)).as("the process was signalled and died")
        .isFalse();
  }

  @Test
  void anUnrelatedJavaProcessNamedByAPidOnlyFileIsNotSignalled() throws Exception {
    Process java = unrelatedJava();
    Files.writeString(pidFile(), java.pid() + "\n");
    statusFileNaming(java.pid());
    assertThat(syncNow(pidFile(), statusFile(), "5s")).isEqualTo(3);
    assertThat(err.toString()).contains("without its start time", "refusing to signal").hasLineCount(1);
    assertStillAlive(java);
  }

  @Test
  void anUnrelatedJavaProcessWithAForgedIdentityIsNotSignalled() throws Exception {
    Process java = unrelatedJava();
    new PidFile(pidFile()).write(ProcessIdentity.recorded(java.pid(), startTicks(java)));
    statusFileNaming(java.pid());
    assertThat(syncNow(pidFile(), statusFile(), "5s")).isEqualTo(3);
    assertThat(err.toString()).contains("is not an `anki-supervisor run`", "refusing to signal");
    assertStillAlive(java);
  }

  @Test
  void aReusedPidIsNotSignalled() throws Exception {
    Process java = unrelatedJava();
    new PidFile(pidFile()).write(ProcessIdentity.recorded(java.pid(), startTicks(java) - 1));
    statusFileNaming(java.pid());
    assertThat(syncNow(pidFile(), statusFile(), "5s")).isEqualTo(3);
    assertThat(err.toString()).contains("the pid was reused", "refusing to signal");
    assertStillAlive(java);
  }

  @Test
  void noPidFileMeansNoSupervisor() {
    assertThat(syncNow(pidFile(), statusFile(), "5s")).isEqualTo(3);
    assertThat(err.toString()).contains("no supervisor", "is missing");
  }

  @Test
  void aGonePidMeansNoSupervisor() throws Exception {
    new PidFile(pidFile()).write(ProcessIdentity.recorded(99_999_999L, 1));
    assertThat(syncNow(pidFile(), statusFile(), "5s")).isEqualTo(3);
    assertThat(err.toString()).contains("is not running");
  }

  @Test
  void signalsTheRealSupervisorButOnlyWithItsOwnStatusFile() throws Exception {
    try (SupervisorProcess run = new SupervisorProcess(dir).start()) {
      run.awaitReady(1);
      Path pidFile = run.stateDir.resolve("supervisor.pid");
      Path ownStatus = run.stateDir.resolve("sync-status.json");

      // Another supervisor's status file: the pid is ours, but not of that file.
      statusFileNaming(ProcessHandle.current().pid());
      assertThat(syncNow(pidFile, statusFile(), "5s")).isEqualTo(3);
      assertThat(err.toString()).contains("is written by pid " + ProcessHandle.current().pid(), "refusing to signal");
      assertThat(run.count("manual")).isZero();

      // Its own: signalled; no sync server is set, so the manual sync ends auth_missing (exit 1).
      assertThat(syncNow(pidFile, ownStatus, "60s")).as(err.toString()).isEqualTo(1);
      assertThat(out.toString()).startsWith("sync auth_missing (manual) in ");
      assertThat(run.process().isAlive()).isTrue();
    }
  }

  @Test
  void noResultInTimeExitsOne() throws Exception {
    try (SupervisorProcess run = new SupervisorProcess(dir).start()) {
      run.awaitReady(1);
      assertThat(syncNow(run.stateDir.resolve("supervisor.pid"), run.stateDir.resolve("sync-status.json"), "1ms"))
          .isEqualTo(1);
      assertThat(err.toString()).contains("showed no finished manual sync within");
    }
  }
}
