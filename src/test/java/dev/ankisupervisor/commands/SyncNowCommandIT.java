package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ankisupervisor.status.SupervisorPidFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** sync-now against real processes and a real SIGUSR1 (the supervisor's side is {@link FakeSupervisorMain}). */
class SyncNowCommandIT {
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

  private int run(String... args) {
    CommandLine cl = AnkiSupervisorCommand.newCommandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  private Path pidFile() {
    return dir.resolve("supervisor.pid");
  }

  private Path statusFile() {
    return dir.resolve("sync-status.json");
  }

  private Process fakeSupervisor(String result) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        FakeSupervisorMain.class.getName(), pidFile().toString(), statusFile().toString(), result)
        .redirectErrorStream(true).redirectOutput(dir.resolve("fake.log").toFile()).start();
    started.add(p);
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(pidFile()));
    return p;
  }

  @Test
  void signalsTheSupervisorAndPrintsTheManualSyncOk() throws Exception {
    Process p = fakeSupervisor("ok");
    assertThat(run("sync-now", "--supervisor-pid-file", pidFile().toString(), "--status-file",
        statusFile().toString(), "--timeout", "60s")).as(err.toString()).isEqualTo(0);
    assertThat(out.toString()).startsWith("sync ok (manual) in 20 ms");
    assertThat(p.isAlive()).isTrue();
  }

  @Test
  void failedManualSyncExitsOne() throws Exception {
    fakeSupervisor("network_error");
    assertThat(run("sync-now", "--supervisor-pid-file", pidFile().toString(), "--status-file",
        statusFile().toString(), "--timeout", "60s")).isEqualTo(1);
    assertThat(out.toString()).contains("sync network_error (manual)", "the message for network_error");
  }

  @Test
  void noPidFileMeansNoSupervisor() {
    assertThat(run("sync-now", "--supervisor-pid-file", pidFile().toString(), "--status-file",
        statusFile().toString())).isEqualTo(3);
    assertThat(err.toString()).contains("no supervisor", "is missing");
  }

  @Test
  void stalePidFileMeansNoSupervisor() throws Exception {
    SupervisorPidFile.write(pidFile(), 99_999_999L);
    assertThat(run("sync-now", "--supervisor-pid-file", pidFile().toString(), "--status-file",
        statusFile().toString())).isEqualTo(3);
    assertThat(err.toString()).contains("is not running");
  }

  @Test
  void refusesToSignalAProcessThatIsNotTheSupervisor() throws Exception {
    Process sleeper = new ProcessBuilder("sleep", "60").start();
    started.add(sleeper);
    SupervisorPidFile.write(pidFile(), sleeper.pid());
    assertThat(run("sync-now", "--supervisor-pid-file", pidFile().toString(), "--status-file",
        statusFile().toString())).isEqualTo(3);
    assertThat(err.toString()).contains("not anki-supervisor", "refusing to signal");
    assertThat(sleeper.isAlive()).isTrue();
  }

  @Test
  void noResultInTimeExitsOne() throws Exception {
    Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
        System.getProperty("java.class.path"), FakeSupervisorMain.class.getName(), pidFile().toString(),
        dir.resolve("elsewhere.json").toString(), "ok").start();
    started.add(p);
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(pidFile()));
    assertThat(run("sync-now", "--supervisor-pid-file", pidFile().toString(), "--status-file",
        statusFile().toString(), "--timeout", "2s")).isEqualTo(1);
    assertThat(err.toString()).contains("showed no finished manual sync within 2 s");
  }
}
