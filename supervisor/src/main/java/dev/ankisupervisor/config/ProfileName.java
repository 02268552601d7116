package dev.ankisupervisor.config;

import java.nio.charset.StandardCharsets;

/**
 * The rule for an Anki profile name. The name becomes a folder name under the base (C1), the
 * {@code -p} argument (C4), a prefs21.db row (C2) and part of log lines, so it must be one plain
 * file name: not empty, not {@code .} or {@code ..}, no {@code /}, no NUL or other control
 * character (a newline would forge log lines), not starting with {@code _} (C2: {@code _global}
 * is Anki's own row) nor with {@code -} (C4: Anki's argument parser would take {@code -p -x} for an
 * option) and at most {@link #MAX_BYTES} bytes of UTF-8, well under Linux's 255-byte
 * file name limit so that anything appended to it (a backup or trash suffix) still fits.
 *
 * <p>Stateless.
 */
public final class ProfileName {
  /** The longest accepted name, in UTF-8 bytes. */
  public static final int MAX_BYTES = 200;

  /** The rule in one line, for error messages and the docs. */
  public static final String RULE = "a profile name is one file name: 1-" + MAX_BYTES + " bytes of UTF-8, not '.' or '..',"
      + " no '/', no control characters (newline, NUL, ...), not starting with '_' or '-'";

  private ProfileName() {}

  /**
   * Checks {@code name} against the rule.
   *
   * @throws IllegalArgumentException naming the value (control characters escaped) and the rule
   */
  public static String check(String name) {
    String why = problem(name);
    if (why != null) {
      throw new IllegalArgumentException("profile '" + printable(name) + "' " + why + "; " + RULE);
    }
    return name;
  }

  private static String problem(String name) {
    if (name.isBlank()) {
      return "is empty";
    }
    if (name.equals(".") || name.equals("..")) {
      return "names a folder, not a profile";
    }
    if (name.indexOf('/') >= 0) {
      return "contains '/'";
    }
    if (name.codePoints().anyMatch(ProfileName::isControl)) {
      return "contains a control character";
    }
    if (name.startsWith("_")) {
      return "starts with '_'";
    }
    if (name.startsWith("-")) {
      return "starts with '-' (Anki would read `-p " + name + "` as an option, and fail at every launch)";
    }
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_BYTES) {
      return "is " + bytes + " bytes long";
    }
    return null;
  }

  /** C0, DEL, C1 and the Unicode line and paragraph separators. */
  private static boolean isControl(int cp) {
    return Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029;
  }

  /** The name with control characters as \\uXXXX and cut to a readable length. */
  private static String printable(String name) {
    StringBuilder b = new StringBuilder();
    name.codePoints().limit(60).forEach(cp -> {
      if (isControl(cp)) {
        b.append(String.format("\\u%04x", cp));
      } else {
        b.appendCodePoint(cp);
      }
    });
    return name.codePointCount(0, name.length()) > 60 ? b + "..." : b.toString();
  }
}
