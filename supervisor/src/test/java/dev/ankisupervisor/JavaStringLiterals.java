package dev.ankisupervisor;

import java.util.ArrayList;
import java.util.List;

/**
 * The string literals of one Java source file (plain strings and text blocks, with their line),
 * skipping comments and char literals. Escapes are left as written; enough for a test that reads
 * what the product says, not a compiler. Stateless; any thread.
 */
final class JavaStringLiterals {
  /** One literal: its first line (1-based) and its text between the quotes. */
  record Literal(int line, String text) {}

  private JavaStringLiterals() {}

  static List<Literal> of(String src) {
    List<Literal> out = new ArrayList<>();
    int line = 1;
    int i = 0;
    while (i < src.length()) {
      int end;
      if (src.startsWith("//", i)) {
        end = indexOrEnd(src, "\n", i);
      } else if (src.startsWith("/*", i)) {
        end = indexOrEnd(src, "*/", i + 2) + 2;
      } else if (src.startsWith("\"\"\"", i)) {
        end = closing(src, i + 3, "\"\"\"") + 3;
        out.add(new Literal(line, src.substring(i + 3, end - 3)));
      } else if (src.charAt(i) == '"' || src.charAt(i) == '\'') {
        String quote = String.valueOf(src.charAt(i));
        end = closing(src, i + 1, quote) + 1;
        if (quote.equals("\"")) {
          out.add(new Literal(line, src.substring(i + 1, end - 1)));
        }
      } else {
        end = i + 1;
      }
      end = Math.min(end, src.length());
      line += (int) src.substring(i, end).chars().filter(c -> c == '\n').count();
      i = end;
    }
    return out;
  }

  /** Where the literal opened before {@code from} closes: the next unescaped {@code quote}. */
  private static int closing(String src, int from, String quote) {
    int i = from;
    while (i < src.length() && !src.startsWith(quote, i)) {
      i += src.charAt(i) == '\\' ? 2 : 1;
    }
    return Math.min(i, src.length());
  }

  private static int indexOrEnd(String src, String what, int from) {
    int at = src.indexOf(what, from);
    return at < 0 ? src.length() : at;
  }
}
