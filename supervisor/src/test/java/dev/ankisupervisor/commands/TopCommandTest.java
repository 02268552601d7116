package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TopCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = AnkiSupervisorCommand.newCommandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  @Test
  void helpListsCommandsAndExitCodes() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("run", "status", "Exit codes:", "78");
  }

  @Test
  void badFlagIsUsageError64() {
    assertThat(run("--no-such-flag")).isEqualTo(64);
    assertThat(err.toString()).contains("Unknown option: '--no-such-flag'");
  }

  @Test
  void badFlagOnStatusIsUnknown3NotCritical() {
    assertThat(run("status", "--no-such-flag")).isEqualTo(3);
  }
}
