package dev.ankisupervisor.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splits a command string the way a POSIX shell splits words, without expansions: whitespace
 * separates words; single quotes keep everything literally; double quotes keep spaces and allow
 * {@code \"} and {@code \\}; a backslash outside quotes escapes the next character. So
 * {@code --anki-command 'python3 -c "import aqt; aqt.run()"'} gives three words (C4). The one
 * word-splitting rule: also for the words systemd prints ({@code systemctl show}'s Environment= and argv[]).
 * {@link #quote} is its inverse, for commands we print for pasting.
 *
 * <p>Threading: pure; any thread.
 */
public final class ShellWords {
  /** Words a shell takes as they are: no quoting needed. */
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9@%+=:,./_-]+");

  private ShellWords() {}

  /** {@code word} as a shell reads it back as one word: as is when plain, else single-quoted. */
  public static String quote(String word) {
    return PLAIN.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
  }

  public static List<String> split(String text) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote == '\'') {
        if (c == '\'') {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (quote == '"') {
        if (c == '"') {
          quote = 0;
        } else if (c == '\\' && i + 1 < text.length() && "\"\\$`".indexOf(text.charAt(i + 1)) >= 0) {
          word.append(text.charAt(++i));
        } else {
          word.append(c);
        }
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        inWord = true;
        if (c == '\'' || c == '"') {
          quote = c;
        } else if (c == '\\' && i + 1 < text.length()) {
          word.append(text.charAt(++i));
        } else {
          word.append(c);
        }
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("unbalanced " + quote + " quote in command '" + text
          + "'; close the quote or pass each word with its own --anki-command");
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }
}
