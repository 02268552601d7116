package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Keeps the documentation in step with the commands, so they cannot drift: every flag of every
 * command (as picocli builds it) is named in that command's section of docs/configuration.md, with
 * its environment variable for {@code run}; the README's exit-code table lists exactly the
 * {@link ExitCode}s; docs/status.md lists every Nagios code of {@code status}.
 */
class CommandDocsTest {
  private static final Path CONFIGURATION = Path.of("docs/configuration.md");
  private static final Path README = Path.of("README.md");
  private static final Path STATUS = Path.of("docs/status.md");
  private static final Pattern SECTION = Pattern.compile("(?m)^## (.*)$");
  private static final Pattern TABLE_CODE = Pattern.compile("(?m)^\\| (\\d+) \\|");

  @Test
  void everyFlagOfEveryCommandIsInItsSectionOfConfigurationMd() throws IOException {
    assertThat(undocumentedFlags(Files.readString(CONFIGURATION)))
        .as("flags missing from %s (add each to its command's section: name, default, meaning)", CONFIGURATION)
        .isEmpty();
  }

  @Test
  void theFlagCheckFindsAFlagRemovedFromTheDoc() throws IOException {
    String doc = Files.readString(CONFIGURATION);
    assertThat(doc).contains("`--liveness-misses N`");
    // The same document with one row's flag name gone, and with a whole command's section gone.
    assertThat(undocumentedFlags(doc.replace("`--liveness-misses N`", "`N`")))
        .containsExactly("run: --liveness-misses", "prepare: --liveness-misses");
    assertThat(undocumentedFlags(doc.replace("## `backup`", "## backups")))
        .containsExactly("backup: no section whose heading names `backup`");
  }

  @Test
  void theReadmeExitCodeTableListsExactlyTheExitCodes() throws IOException {
    Set<Integer> documented = tableCodes(section(Files.readString(README), "Exit codes").orElse(""));
    Set<Integer> actual = Arrays.stream(ExitCode.values()).map(ExitCode::code).collect(Collectors.toSet());
    assertThat(documented).as("codes in README.md's `## Exit codes` table").isEqualTo(actual);
  }

  @Test
  void statusMdListsEveryNagiosCodeOfStatus() throws IOException {
    CommandSpec status = AnkiSupervisorCommand.newCommandLine(Map.of()).getSubcommands().get("status").getCommandSpec();
    Set<Integer> actual = status.usageMessage().exitCodeList().keySet().stream()
        .map(k -> Integer.parseInt(k.strip())).collect(Collectors.toSet());
    Set<Integer> documented = tableCodes(section(Files.readString(STATUS), "`anki-supervisor status`").orElse(""));
    assertThat(actual).isNotEmpty();
    assertThat(documented).as("codes in docs/status.md's `status` table").isEqualTo(actual);
  }

  /** "command: --flag" for each visible flag the doc does not name in that command's section. */
  static List<String> undocumentedFlags(String doc) {
    List<String> missing = new ArrayList<>();
    CommandLine top = AnkiSupervisorCommand.newCommandLine(Map.of());
    for (OptionSpec option : top.getCommandSpec().options()) {
      for (String name : option.names()) {
        if (name.startsWith("--") && !names(doc, name)) {
          missing.add("anki-supervisor: " + name);
        }
      }
    }
    for (Map.Entry<String, CommandLine> sub : top.getSubcommands().entrySet()) {
      String command = sub.getKey();
      if (command.equals("help")) {
        continue;
      }
      Optional<String> section = section(doc, "`" + command + "`");
      if (section.isEmpty()) {
        missing.add(command + ": no section whose heading names `" + command + "`");
        continue;
      }
      for (OptionSpec option : sub.getValue().getCommandSpec().options()) {
        if (option.hidden() || option.usageHelp() || option.versionHelp()) {
          continue;  // --help/--version are documented once for every command
        }
        for (String name : longNames(option)) {
          if (!names(section.get(), name)) {
            missing.add(command + ": " + name);
          }
        }
        if (command.equals("run") && !section.get().contains(SettingsLookup.envName(option.longestName()))) {
          missing.add(command + ": " + SettingsLookup.envName(option.longestName()));
        }
      }
    }
    return missing;
  }

  private static List<String> longNames(OptionSpec option) {
    List<String> names = new ArrayList<>(List.of(option.longestName()));
    if (option.negatable()) {
      names.add("--no-" + option.longestName().substring(2));
    }
    return names;
  }

  /** Whether {@code text} holds {@code flag} as a whole name ({@code --sync} is not in {@code --sync-url}). */
  private static boolean names(String text, String flag) {
    return Pattern.compile("(?<![\\w-])" + Pattern.quote(flag) + "(?![\\w-])").matcher(text).find();
  }

  /** The text of the first {@code ## } section whose heading contains {@code headingPart}. */
  static Optional<String> section(String doc, String headingPart) {
    Map<String, String> sections = new LinkedHashMap<>();
    Matcher m = SECTION.matcher(doc);
    List<int[]> starts = new ArrayList<>();
    List<String> headings = new ArrayList<>();
    while (m.find()) {
      starts.add(new int[] {m.start(), m.end()});
      headings.add(m.group(1));
    }
    for (int i = 0; i < starts.size(); i++) {
      int end = i + 1 < starts.size() ? starts.get(i + 1)[0] : doc.length();
      sections.putIfAbsent(headings.get(i), doc.substring(starts.get(i)[1], end));
    }
    return sections.entrySet().stream().filter(e -> e.getKey().contains(headingPart)).map(Map.Entry::getValue)
        .findFirst();
  }

  private static Set<Integer> tableCodes(String text) {
    Set<Integer> codes = new TreeSet<>();
    Matcher m = TABLE_CODE.matcher(text);
    while (m.find()) {
      codes.add(Integer.parseInt(m.group(1)));
    }
    return codes;
  }
}
