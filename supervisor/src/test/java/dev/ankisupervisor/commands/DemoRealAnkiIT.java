package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ankisupervisor.wiring.DemoRealAnki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code demo --real-anki} with the real Anki 25.09.2 venv (real-anki/make-env.sh) and the test
 * add-on: the banner names the real Anki, Anki gets ready, the official sync server from the venv
 * answers the syncs (its user folder appears), and the demo stops Anki cleanly and exits 0.
 * Without the venv: skipped (failed under CI=true, where .ci/run makes it).
 */
class DemoRealAnkiIT {
  private static final Path TEST_ADDON = Path.of("supervisor/src/test/resources/real-anki/addon");

  @TempDir Path dir;

  @Test
  void demoRunsTheRealAnkiAndTheRealSyncServerAndSaysSo() throws Exception {
    DemoRealAnki real = realAnkiOrSkip();
    Path out = dir.resolve("demo.out");
    Path demo = dir.resolve("demo");
    ProcessBuilder pb = new ProcessBuilder("launcher/anki-supervisor", "demo", "--real-anki=" + real.venv(),
        "--addon-source", TEST_ADDON.toString(), "--duration", "40s", "--dir", demo.toString(), "--sync-interval", "3s")
        .redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().put("ANKI_SUPERVISOR_JAR", Path.of(SupervisorProcess.JAR).toAbsolutePath().toString());
    pb.environment().keySet().removeIf(k -> k.equals("NOTIFY_SOCKET") || k.equals("JOURNAL_STREAM"));
    Process p = pb.start();
    try {
      // A fresh profile against the demo's empty server: nothing to sync yet, which the real Anki
      // answers with no changes (C8), reported as waiting for a first device's upload.
      await().atMost(Duration.ofSeconds(90))
          .until(() -> Files.readString(out).contains("sync (interval) waiting_for_first_upload"));
      String log = Files.readString(out);
      assertThat(log).contains("demo: Anki is the real Anki: " + real.venv().resolve("bin/anki"),
          "sync server: the official one from the same venv", "main window      real: Anki's own QtWebEngine view",
          "anki: Starting Anki 25.09.2...", "starting -> ready", "AnkiConnect patches: config API true, headless sync true",
          "sync (startup) waiting_for_first_upload");
      // the official server keeps each user's collection in SYNC_BASE/<user>/ (S2)
      assertThat(demo.resolve("sync/demo/collection.anki2")).exists();
      assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("demo still running:\n%s", Files.readString(out)).isTrue();
      log = Files.readString(out);
      assertThat(p.exitValue()).as(log).isZero();
      assertThat(log).contains("stopping -> stopped: Anki exited cleanly");
      assertThat(demo.resolve("anki/demo/collection.anki2-wal")).doesNotExist(); // Anki closed its collection (C6)
    } finally {
      p.destroyForcibly();
      for (ProcessHandle h : ProcessHandle.allProcesses().toList()) {
        if (h.info().commandLine().orElse("").contains(dir.toString())) {
          h.destroyForcibly();
        }
      }
    }
  }

  private static DemoRealAnki realAnkiOrSkip() {
    try {
      return DemoCommand.locateRealAnki("", System.getenv());
    } catch (UserError e) {
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail(e.getMessage());
      }
      Assumptions.abort(e.getMessage());
      throw e;
    }
  }
}
