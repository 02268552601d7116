package dev.ankisupervisor.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ankisupervisor.commands.AnkiSupervisorCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The install guide's shell blocks cannot drift from the product: each block of systemd/README.md
 * is valid shell ({@code bash -n}), and every {@code anki-supervisor ...} command in it parses with
 * the commands' own model (every flag it names exists and takes the value given). The container tests
 * run the installed units; this keeps the text an operator copies in step.
 */
class GuideBlocksTest {
  private static final Path GUIDE = Path.of("systemd/README.md");
  private static final Pattern BLOCK = Pattern.compile("(?ms)^```sh\\n(.*?)^```");

  static List<String> blocks(String markdown) {
    List<String> out = new ArrayList<>();
    Matcher m = BLOCK.matcher(markdown);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  @Test
  void everyShellBlockIsValidShell() throws Exception {
    List<String> blocks = blocks(Files.readString(GUIDE));
    assertThat(blocks).hasSizeGreaterThan(10);
    for (String block : blocks) {
      Process p = new ProcessBuilder("bash", "-n").redirectErrorStream(true).start();
      p.getOutputStream().write(block.getBytes());
      p.getOutputStream().close();
      assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("bash -n of\n%s\n%s", block, new String(p.getInputStream().readAllBytes())).isZero();
    }
  }

  @Test
  void everyAnkiSupervisorCommandOfTheGuideParses() throws IOException {
    List<String> commands = new ArrayList<>();
    for (String block : blocks(Files.readString(GUIDE))) {
      for (String line : block.replace("\\\n", " ").split("\n")) {
        String code = line.replaceFirst("\\s+#.*$", "").strip();
        int at = code.indexOf("anki-supervisor ");
        if (at < 0 || !(at == 0 || code.startsWith("-- anki-supervisor ", at - 3))) {
          continue;
        }
        commands.add(code.substring(at + "anki-supervisor ".length()));
      }
    }
    assertThat(commands).as("anki-supervisor commands in the guide").hasSizeGreaterThan(5)
        .anySatisfy(c -> assertThat(c).startsWith("doctor --unit"));
    for (String command : commands) {
      String[] words = command.strip().split("\\s+");
      CommandLine cl = AnkiSupervisorCommand.newCommandLine(Map.of());
      try {
        cl.parseArgs(words);
      } catch (CommandLine.ParameterException e) {
        throw new AssertionError("the guide's `anki-supervisor " + command + "` does not parse: " + e.getMessage(), e);
      }
    }
  }
}
