package dev.ankisupervisor.systemd;

import java.util.ArrayList;
import java.util.List;

/**
 * The two text forms of environment assignments systemd uses: the words of {@code systemctl show}'s
 * {@code Environment=} and {@code argv[]=} (space-separated, a word with blanks in double quotes,
 * C escapes inside), and the lines of an {@code EnvironmentFile=} ({@code KEY=value}, {@code #} and
 * {@code ;} comments, a value wholly in single or double quotes unquoted). Pure; any thread.
 */
final class EnvironmentText {
  private EnvironmentText() {}

  static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else if (c == '\\' && quote == '"' && i + 1 < text.length()) {
          word.append(text.charAt(++i));
        } else {
          word.append(c);
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
        inWord = true;
      } else if (c == ' ' || c == '\t') {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
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
