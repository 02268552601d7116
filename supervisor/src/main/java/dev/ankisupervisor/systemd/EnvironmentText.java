package dev.ankisupervisor.systemd;

import dev.ankisupervisor.config.ShellWords;
import java.util.ArrayList;
import java.util.List;

/**
 * The two text forms of environment assignments systemd uses: the words of {@code systemctl show}'s
 * {@code Environment=} and {@code argv[]=} (space-separated, a word with blanks in double quotes:
 * {@link ShellWords}' rule), and the lines of an {@code EnvironmentFile=} ({@code KEY=value}, {@code #} and
 * {@code ;} comments, a value wholly in single or double quotes unquoted). Pure; any thread.
 */
final class EnvironmentText {
  private EnvironmentText() {}

  static List<String> words(String text) {
    return ShellWords.split(text);
  }

  static List<String> lines(String text) {
    List<String> out = new ArrayList<>();
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (line.startsWith("export ")) {
        line = line.substring("export ".length()).strip();
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String value = line.substring(eq + 1).strip();
      if (value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'')
          && value.charAt(value.length() - 1) == value.charAt(0)) {
        value = value.substring(1, value.length() - 1);
      }
      out.add(line.substring(0, eq).strip() + "=" + value);
    }
    return out;
  }
}
