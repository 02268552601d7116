package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Log lines fit the journal: when stdout is the journal (JOURNAL_STREAM names fd 1's device:inode), each log
 * line starts with its syslog priority and has no timestamp; otherwise lines carry timestamps. The
 * jar runs as a subprocess whose stdout is a file; the test puts that file's dev:ino into
 * JOURNAL_STREAM. The run fails fast (no such interface), which logs INFO and ERROR lines.
 */
class JournaldIT {
  @TempDir Path dir;

  private List<String> runWithStdoutIn(Path out, boolean journal) throws Exception {
    return run(out, journal, false);
  }

  /** Runs; with {@code sameStream} stderr goes into stdout's file too, as in a unit (both the journal). */
  private List<String> run(Path out, boolean journal, boolean sameStream) throws Exception {
    Files.createFile(out);
    List<String> cmd = new ArrayList<>(List.of(SupervisorProcess.JAVA));
    cmd.addAll(SupervisorProcess.SMALL_JVM);
    cmd.addAll(List.of("-jar", SupervisorProcess.JAR, "run", "--base", dir.resolve("anki").toString(),
        "--state-dir", dir.resolve("state").toString(), "--status-file", dir.resolve("s.json").toString(),
        "--bind", "tailscale", "--tailscale-interface", "nosuchts8", "--network-timeout", "1s"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile());
    if (sameStream) {
      pb.redirectErrorStream(true);
    } else {
      pb.redirectError(dir.resolve("err").toFile());
    }
    pb.environment().keySet().removeIf(k -> k.startsWith("ANKI_SUPERVISOR_") || k.equals("JOURNAL_STREAM")
        || k.equals("NOTIFY_SOCKET"));
    if (journal) {
      pb.environment().put("JOURNAL_STREAM", Files.getAttribute(out, "unix:dev") + ":" + Files.getAttribute(out, "unix:ino"));
    }
    Process p = pb.start();
    try {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isEqualTo(75);
    } finally {
      p.destroyForcibly();
    }
    return Files.readAllLines(out);
  }

  @Test
  void journalStdoutGetsPriorityPrefixesAndNoTimestamps() throws Exception {
    List<String> lines = runWithStdoutIn(dir.resolve("journal.out"), true);
    assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l).matches("<[3-7]>.*"));
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("<6>").contains("waiting_for_network"));
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("<3>").contains("nosuchts8"));
    assertThat(lines).noneSatisfy(l -> assertThat(l).containsPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d"));
  }

  @Test
  void underTheJournalTheFinalErrorIsThereOnceAndEveryLineHasAPriority() throws Exception {
    List<String> lines = run(dir.resolve("unit.out"), true, true);
    assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l).matches("<[3-7]>.*"));
    assertThat(lines.stream().filter(l -> l.startsWith("<3>"))).singleElement().asString()
        .contains("bind address not ready").contains("nosuchts8");
    // An operator's log: the message, without the thread and the abbreviated class of each line.
    assertThat(lines).noneSatisfy(l -> assertThat(l).containsPattern("^<\\d>\\[[^]]+] "));
    assertThat(lines).noneSatisfy(l -> assertThat(l).startsWith("<6>").contains("start-up timing"));
  }

  @Test
  void otherStdoutGetsTimestamps() throws Exception {
    // No JOURNAL_STREAM: stdout is not the journal.
    List<String> lines = runWithStdoutIn(dir.resolve("plain.out"), false);
    assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d.*"));
    assertThat(lines).noneSatisfy(l -> assertThat(l).startsWith("<"));
  }
}
