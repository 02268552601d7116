package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PrepareCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int execute(String... args) {
    CommandLine cl = AnkiSupervisorCommand.newCommandLine(Map.of());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  @Test
  void preparesTheBaseFolderAndExits() throws Exception {
    Path base = dir.resolve("anki");
    SupervisorProcess.installAnkiConnect(base, 8765);
    int code = execute("prepare", "--base", base.toString(), "--profile", "server", "--bind", "127.0.0.1",
        "--state-dir", dir.toString());
    assertThat(code).as(err.toString()).isZero();
    assertThat(base.resolve("prefs21.db")).exists();
    assertThat(base.resolve("gldriver6")).hasContent("software");
    assertThat(Files.readString(base.resolve("addons21/2055492159/meta.json"))).contains("127.0.0.1");
    assertThat(out.toString()).contains("prepared " + base);
  }

  @Test
  void missingAddonFolderIsAConfigError78InOneLine() {
    Path base = dir.resolve("empty");
    int code = execute("prepare", "--base", base.toString(), "--bind", "127.0.0.1");
    assertThat(code).isEqualTo(78);
    assertThat(err.toString()).startsWith("prepare: ").doesNotContain("\tat ");
  }
}
