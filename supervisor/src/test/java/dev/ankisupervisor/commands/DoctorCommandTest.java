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

/** `doctor` through the real command line: one line per check, exit code = number of problems. */
class DoctorCommandTest {
  @TempDir Path tmp;

  @Test
  void exitCodeIsTheNumberOfProblemLinesAndEnvironmentSetsFlags() throws Exception {
    Files.writeString(tmp.resolve("gldriver6"), "software");
    StringWriter out = new StringWriter();
    // --base comes from the environment, as in the service's EnvironmentFile.
    CommandLine cl = AnkiSupervisorCommand.newCommandLine(Map.of("ANKI_SUPERVISOR_BASE", tmp.toString()));
    cl.setOut(new PrintWriter(out));
    int code = cl.execute("doctor", "--bind", "127.0.0.1", "--connect-port", "1", "--probe-timeout", "2s",
        "--state-dir", tmp.toString(), "--status-file", tmp.resolve("none.json").toString(),
        "--backup-dir", tmp.resolve("backups").toString());
    long problemLines = out.toString().lines().filter(l -> l.startsWith("PROBLEM ")).count();
    assertThat(code).isEqualTo((int) problemLines).isPositive();
    assertThat(out.toString()).contains("OK gldriver6: software").contains("PROBLEM prefs21.db: " + tmp.resolve("prefs21.db"))
        .contains("PROBLEM last-backup: no backup has run").contains("doctor: " + code + " problem(s) found");
    assertThat(out.toString().lines().filter(l -> l.startsWith("PROBLEM ")))
        .allSatisfy(l -> assertThat(l).contains("; fix: "));
  }
}
