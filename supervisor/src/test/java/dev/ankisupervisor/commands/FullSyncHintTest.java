package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ankisupervisor.model.FullSyncDirection;
import dev.ankisupervisor.sync.FullSyncCommands;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The full-sync commands the log and the status file suggest are pasteable as printed: what stands
 * between the backticks, given to a real shell, is the words {@code full-sync} parses into the
 * intended direction, {@code --yes}, {@code --force} and the supervisor's {@code --unit}.
 */
class FullSyncHintTest {
  private static final Pattern BACKTICKED = Pattern.compile("`([^`]*)`");

  @Test
  void eachSuggestedCommandIsAShellLineThatFullSyncParsesWithTheUnit() throws Exception {
    for (String unit : List.of("anki-connect", "anki-connect@alice", "anki-connect@a\\x2db", "it's odd")) {
      List<String> commands = backticked(new FullSyncCommands(Optional.of(unit)).resolving(FullSyncDirection.EITHER));
      assertThat(commands).hasSize(2);
      FullSyncCommand download = parse(shellWords(commands.get(0)));
      assertThat(download.unit.name).isEqualTo(unit);
      assertThat(download.direction.download).isTrue();
      assertThat(download.yes && download.force).isTrue();
      FullSyncCommand upload = parse(shellWords(commands.get(1)));
      assertThat(upload.unit.name).isEqualTo(unit);
      assertThat(upload.direction.upload).isTrue();
    }
  }

  @Test
  void withoutAUnitTheCommandHasNone() throws Exception {
    List<String> commands = backticked(FullSyncCommands.WITHOUT_UNIT.resolving(FullSyncDirection.DOWNLOAD));
    assertThat(commands).singleElement().isEqualTo("anki-supervisor full-sync --download --yes");
    FullSyncCommand download = parse(shellWords(commands.get(0)));
    assertThat(download.unit.name).isNull();
    assertThat(download.force).isFalse();
  }

  private static List<String> backticked(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = BACKTICKED.matcher(text);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** The words sh makes of {@code command}: printf gets them as its arguments and prints each NUL-ended. */
  private static List<String> shellWords(String command) throws Exception {
    Process sh = new ProcessBuilder("sh", "-c", "printf '%s\\0' " + command).start();
    String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(sh.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(sh.exitValue()).as(new String(sh.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
    return List.of(out.split("\0"));
  }

  private static FullSyncCommand parse(List<String> words) {
    assertThat(words.get(0)).isEqualTo("anki-supervisor");
    CommandLine.ParseResult parsed = AnkiSupervisorCommand.newCommandLine(Map.of())
        .parseArgs(words.subList(1, words.size()).toArray(String[]::new));
    assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("full-sync");
    return (FullSyncCommand) parsed.subcommand().commandSpec().userObject();
  }
}
