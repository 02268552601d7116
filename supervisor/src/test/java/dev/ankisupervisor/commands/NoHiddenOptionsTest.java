package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The product's command line has no hidden options: a test seam is a constructor argument or a
 * system property of {@link TestSeams} (docs/testing.md), never a flag an operator can stumble on,
 * and every flag is in --help and docs/configuration.md.
 */
class NoHiddenOptionsTest {
  @Test
  void noCommandHasAHiddenOption() {
    assertThat(hiddenArguments(AnkiSupervisorCommand.newCommandLine(Map.of()))).isEmpty();
  }

  @Command(name = "seamed", subcommands = Seamed.Sub.class)
  static final class Seamed {
    @Command(name = "sub")
    static final class Sub {
      @Option(names = "--test-only", hidden = true)
      boolean testOnly;
    }
  }

  @Test
  void theCheckFindsAHiddenOptionOfASubcommand() {
    assertThat(hiddenArguments(new CommandLine(new Seamed()))).containsExactly("seamed sub: --test-only");
  }

  /** "command: --flag" for every hidden option or parameter of the command and its subcommands, at any depth. */
  private static List<String> hiddenArguments(CommandLine cl) {
    List<String> hidden = new ArrayList<>();
    CommandSpec spec = cl.getCommandSpec();
    for (ArgSpec arg : spec.args()) {
      if (arg.hidden()) {
        hidden.add(spec.qualifiedName() + ": " + (arg.isOption() ? ((CommandLine.Model.OptionSpec) arg).longestName()
            : arg.paramLabel()));
      }
    }
    cl.getSubcommands().values().forEach(sub -> hidden.addAll(hiddenArguments(sub)));
    return hidden;
  }
}
