package dev.ankisupervisor.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ankisupervisor.commands.AnkiSupervisorCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The install guide's shell blocks cannot drift from the product: each block of systemd/README.md
 * is valid shell ({@code bash -n}), and every {@code anki-supervisor ...} command in it parses with
 * the commands' own model (every flag it names exists and takes the value given). {@code GuideIT}
 * runs the blocks in a container; here, without one, every block must be in its {@link GuidePlan}
 * (run or skipped, each substitution still matching its block) and in the table of
 * docs/systemd-tests.md, so a new block of the guide fails the build until the test runs or skips it.
 */
class GuideBlocksTest {
  private static final Path TESTS_DOC = Path.of("docs/systemd-tests.md");

  static List<String> blocks() throws IOException {
    return GuideBlocks.read().stream().map(GuideBlocks.Block::text).toList();
  }

  @Test
  void everyShellBlockIsValidShell() throws Exception {
    List<String> blocks = blocks();
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
    for (String block : blocks()) {
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

  @Test
  void everyBlockIsRunOrSkippedByTheGuideTest() throws IOException {
    // Throws on a block with no entry, an entry with no block, or a substitution that no longer matches.
    List<GuidePlan.Step> steps = GuidePlan.steps(GuideBlocks.read());
    assertThat(steps).extracting(s -> s.block().id()).containsExactlyElementsOf(GuidePlan.PLAN.keySet());
  }

  @Test
  void aNewBlockOfTheGuideFailsUntilThePlanHasIt() {
    String guide = "## 1. Packages\n\n```sh\napt-get install -y foo\n```\n";
    assertThatThrownBy(() -> GuidePlan.steps(GuideBlocks.parse(guide)))
        .hasMessageContaining("\"1. Packages #1\" is neither run nor skipped");
  }

  @Test
  void theTestsDocListsEveryBlockAsThePlanRunsIt() throws IOException {
    Map<String, String> rows = new LinkedHashMap<>();
    for (String line : Files.readString(TESTS_DOC).split("\n")) {
      // A row: | block | runs | what changes | why |, a block named as GuideBlocks names it ("... #n").
      String[] cells = line.split("\\s*(?<!\\\\)\\|\\s*", -1);
      if (line.startsWith("| ") && cells.length > 3 && cells[1].matches(".* #\\d+")) {
        rows.put(cells[1], cells[2]);
      }
    }
    Map<String, String> plan = new LinkedHashMap<>();
    GuidePlan.PLAN.forEach((id, h) -> plan.put(id, h.runs().name().toLowerCase(java.util.Locale.ROOT)));
    assertThat(rows).as("the rows (block, runs) of the guide table in " + TESTS_DOC).containsExactlyEntriesOf(plan);
  }
}
