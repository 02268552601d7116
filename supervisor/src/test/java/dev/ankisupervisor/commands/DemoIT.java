package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The README's main job: {@code launcher/anki-supervisor demo} reaches ready; killing the stand-in
 * shows the restart in the log; with --duration it exits 0 by itself.
 */
class DemoIT {
  @TempDir Path dir;

  @Test
  void launcherDemoReachesReadyRestartsAKilledStandInAndExitsZero() throws Exception {
    Path out = dir.resolve("demo.out");
    Path demo = dir.resolve("demo");
    ProcessBuilder pb = new ProcessBuilder("launcher/anki-supervisor", "demo", "--duration", "45s", "--dir",
        demo.toString(), "--sync-interval", "3s").redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().put("ANKI_SUPERVISOR_JAR", Path.of(SupervisorProcess.JAR).toAbsolutePath().toString());
    pb.environment().keySet().removeIf(k -> k.equals("NOTIFY_SOCKET") || k.equals("JOURNAL_STREAM"));
    Process p = pb.start();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(out).contains("starting -> ready"));
      // Sync works end to end: the bootstrap, then a sync every interval, and `status` says OK.
      await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(out).contains("sync (interval) ok"));
      assertThat(Files.readString(out)).contains("bootstrap complete: 3 decks, 8 cards", "sync (bootstrap) ok");
      Path statusFile = demo.resolve("state/sync-status.json");
      CommandLine status = AnkiSupervisorCommand.newCommandLine();
      StringWriter summary = new StringWriter();
      status.setOut(new PrintWriter(summary, true));
      assertThat(status.execute("status", "--status-file", statusFile.toString())).as(summary.toString()).isZero();
      assertThat(summary.toString()).contains("patches configApi yes headlessSync yes");
      String pidLine = Files.readString(demo.resolve("state/anki.pid")).strip();
      long pid = Long.parseLong(pidLine.split(" ")[0]);
      SupervisorProcess.signal(pid, "KILL");
      await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(out).contains("crashed (SIGKILL)"));
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("demo still running:\n%s", Files.readString(out)).isTrue();
      String log = Files.readString(out);
      assertThat(p.exitValue()).as(log).isZero();
      assertThat(log).contains("AnkiConnect      http://127.0.0.1:", "curl -s", "kill -9",
          "anki-supervisor status --status-file " + demo.resolve("state/sync-status.json"),
          "anki-supervisor check --url http://127.0.0.1:", "--config-prefix demo.", "anki-supervisor sync-now",
          "kill -USR1", "sync back", 
          "ready -> backing_off", "stopping -> stopped", "  main window      ");
      // The banner says whether the main window is a real QtWebEngine view, and the stand-in agrees.
      if (log.contains("main window      real QtWebEngine view available")) {
        assertThat(log).contains("ANKI_STANDIN_REAL_QT=1", "real web view ready: page loaded");
      } else {
        assertThat(log).contains("main window      played, not real: no real QtWebEngine view").doesNotContain("real web view");
      }
      assertThat(log.split("starting -> ready", -1)).as(log).hasSize(3); // ready twice: before and after the kill
      assertThat(Files.readString(demo.resolve("state/sync-status.json"))).contains("\"state\" : \"stopped\"");
    } finally {
      p.destroyForcibly();
      for (ProcessHandle h : ProcessHandle.allProcesses().toList()) {
        if (h.info().commandLine().orElse("").contains(dir.toString())) {
          h.destroyForcibly();
        }
      }
    }
  }
}
