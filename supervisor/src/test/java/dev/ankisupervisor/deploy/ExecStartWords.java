package dev.ankisupervisor.deploy;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a systemd ExecStart= line into words the way systemd does for what nix/module.nix writes:
 * whitespace separates words, "..." quotes with \\ and \" escapes, {@code %%} is a literal %,
 * {@code $$} a literal $, and the specifier {@code %d} is the credentials folder.
 */
final class ExecStartWords {
  private ExecStartWords() {}

  static List<String> split(String line, String credentialsDir) {
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (!quoted && Character.isWhitespace(c)) {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
        continue;
      }
      if (word == null) {
        word = new StringBuilder();
      }
      if (c == '"') {
        quoted = !quoted;
      } else if (quoted && c == '\\' && i + 1 < line.length()) {
        word.append(line.charAt(++i));
      } else if ((c == '%' || c == '$') && i + 1 < line.length() && line.charAt(i + 1) == c) {
        word.append(c);
        i++;
      } else if (c == '%' && i + 1 < line.length() && line.charAt(i + 1) == 'd') {
        word.append(credentialsDir);
        i++;
      } else if (c == '%' || c == '$') {
        throw new IllegalArgumentException("unexpected specifier or variable at " + i + " in ExecStart: " + line);
      } else {
        word.append(c);
      }
    }
    if (quoted) {
      throw new IllegalArgumentException("unclosed quote in ExecStart: " + line);
    }
    if (word != null) {
      words.add(word.toString());
    }
    return words;
  }
}
