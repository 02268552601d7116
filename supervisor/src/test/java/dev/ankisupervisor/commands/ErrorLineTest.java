package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ankisupervisor.systemd.NotifyListener;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A configuration error found before logging starts, under systemd: on a journal stderr it carries
 * priority 3 (so `journalctl -p warning` shows it) and it becomes the unit's STATUS= (the Status line
 * of `systemctl status`). Outside systemd it is the plain line.
 */
class ErrorLineTest {
  @TempDir Path dir;

  /** JOURNAL_STREAM naming this JVM's stderr, as systemd sets it for a unit whose stderr is the journal. */
  private static String journalStreamOfStderr() throws Exception {
    Path fd2 = Path.of("/proc/self/fd/2");
    return Files.getAttribute(fd2, "unix:dev") + ":" + Files.getAttribute(fd2, "unix:ino");
  }

  private static int execute(Map<String, String> env, StringWriter err, String... args) {
    CommandLine cl = AnkiSupervisorCommand.newCommandLine(env);
    cl.setOut(new PrintWriter(new StringWriter()));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  @Test
  void aBadVariableUnderSystemdIsAnErrorPriorityLineAndTheUnitsStatus() throws Exception {
    try (NotifyListener systemd = new NotifyListener(dir.resolve("notify.sock").toString())) {
      StringWriter err = new StringWriter();
      int code = execute(Map.of("JOURNAL_STREAM", journalStreamOfStderr(), "NOTIFY_SOCKET", systemd.socketName(),
          "ANKI_SUPERVISOR_CONNECT_PORT", "0"), err, "config", "--bind", "127.0.0.1");

      assertThat(code).isEqualTo(78);
      assertThat(err.toString()).startsWith("<3>config: --connect-port must be 1-65535")
          .contains("ANKI_SUPERVISOR_CONNECT_PORT").hasLineCount(1);
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(systemd.assignments())
          .anySatisfy(a -> assertThat(a).startsWith("STATUS=config: --connect-port must be 1-65535")));
    }
  }

  @Test
  void aBadFlagOutsideSystemdIsThePlainLine() {
    StringWriter err = new StringWriter();
    assertThat(execute(Map.of(), err, "config", "--connect-port", "0")).isEqualTo(64);
    assertThat(err.toString()).startsWith("config: --connect-port must be 1-65535");
  }
}
