package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's main job: {@code launcher/anki-supervisor demo} reaches ready and, with --duration, exits 0 by itself. */
class DemoIT {
  @TempDir Path dir;

  @Test
  void launcherDemoReachesReadyAndExitsZero() throws Exception {
    Path out = dir.resolve("demo.out");
    ProcessBuilder pb = new ProcessBuilder("launcher/anki-supervisor", "demo", "--duration", "20s", "--dir",
        dir.resolve("demo").toString()).redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().put("ANKI_SUPERVISOR_JAR", Path.of(SupervisorProcess.JAR).toAbsolutePath().toString());
    pb.environment().keySet().removeIf(k -> k.equals("NOTIFY_SOCKET") || k.equals("JOURNAL_STREAM"));
    Process p = pb.start();
    try {
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("demo still running:\n%s", Files.readString(out)).isTrue();
      String log = Files.readString(out);
      assertThat(p.exitValue()).as(log).isZero();
      assertThat(log).contains("AnkiConnect      http://127.0.0.1:", "curl -s", "kill -9",
          "starting -> ready", "stopping -> stopped");
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
