package dev.ankisupervisor.standin.anki;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Anki's command line as {@code aqt.parseArgs} (25.09.2) sees it: Python argparse's
 * {@code parse_known_args} with {@code -b/--base}, {@code -p/--profile}, {@code -l/--lang},
 * {@code -v/--version}, {@code --safemode}, {@code --syncserver} (C4). Like argparse, a short option
 * takes a glued value ({@code -platform} is {@code -p latform}), long options may be abbreviated
 * to a unique prefix, and whatever is not an option lands in {@link #extras()} (taken as a file to
 * import). Immutable.
 *
 * @param base {@code -b}, "" when absent (then ANKI_BASE, then the default folder: C1)
 * @param profile {@code -p}, "" when absent
 * @param lang {@code -l}, null when absent
 * @param extras unknown flags and positional words, in order
 */
record AnkiArgs(
    String base,
    String profile,
    String lang,
    boolean version,
    boolean safemode,
    boolean syncserver,
    boolean help,
    List<String> extras) {

  static final String USAGE = "usage: anki [OPTIONS] [file to import/add-on to install]";

  AnkiArgs {
    extras = List.copyOf(extras);
  }

  /** A command line argparse rejects: it prints usage and the error, then exits 2. */
  static final class UsageError extends Exception {
    UsageError(String message) {
      super(message);
    }
  }

  private static final Map<String, String> LONG =
      Map.of("--base", "b", "--profile", "p", "--lang", "l", "--version", "v", "--safemode", "safemode",
          "--syncserver", "syncserver", "--help", "h");
  private static final List<String> WITH_VALUE = List.of("b", "p", "l");
  private static final Map<String, String> DISPLAY =
      Map.of("b", "-b/--base", "p", "-p/--profile", "l", "-l/--lang", "v", "-v/--version",
          "safemode", "--safemode", "syncserver", "--syncserver", "h", "-h/--help");

  /** Parses argv (without the program name) the way argparse's parse_known_args does. */
  static AnkiArgs parse(List<String> argv) throws UsageError {
    Builder b = new Builder();
    for (int i = 0; i < argv.size(); i++) {
      String arg = argv.get(i);
      if (arg.equals("--")) {
        b.extras.addAll(argv.subList(i, argv.size())); // argparse keeps the "--" in the extras
        break;
      }
      if (arg.startsWith("--")) {
        int eq = arg.indexOf('=');
        String name = eq < 0 ? arg : arg.substring(0, eq);
        String key = matchLong(name);
        if (key == null) {
          b.extras.add(arg);
          continue;
        }
        if (WITH_VALUE.contains(key)) {
          if (eq >= 0) {
            b.set(key, arg.substring(eq + 1));
          } else {
            i = b.takeNext(key, argv, i);
          }
        } else if (eq >= 0) {
          throw new UsageError("argument " + DISPLAY.get(key) + ": ignored explicit argument '"
              + arg.substring(eq + 1) + "'");
        } else {
          b.set(key, null);
        }
        continue;
      }
      if (arg.length() < 2 || !arg.startsWith("-") || isNegativeNumber(arg)) {
        b.extras.add(arg);
        continue;
      }
      i = parseShort(b, arg, argv, i);
    }
    return b.build();
  }

  private static int parseShort(Builder b, String arg, List<String> argv, int i) throws UsageError {
    String key = shortKey(arg.charAt(1));
    if (key == null) {
      b.extras.add(arg); // an unknown short flag goes to the extras, like a file to import
      return i;
    }
    String rest = arg.substring(2);
    if (WITH_VALUE.contains(key)) {
      if (rest.isEmpty()) {
        return b.takeNext(key, argv, i);
      }
      // argparse: "-pfoo" and "-p=foo" both give "foo"; "-platform" gives "latform" (C4).
      b.set(key, rest.startsWith("=") ? rest.substring(1) : rest);
      return i;
    }
    b.set(key, null);
    // Flags combine ("-vpX"): the rest is more short options.
    for (int k = 0; k < rest.length(); k++) {
      String next = shortKey(rest.charAt(k));
      if (next == null) {
        throw new UsageError("argument " + DISPLAY.get(key) + ": ignored explicit argument '"
            + rest.substring(k) + "'");
      }
      if (WITH_VALUE.contains(next)) {
        String value = rest.substring(k + 1);
        if (value.isEmpty()) {
          return b.takeNext(next, argv, i);
        }
        b.set(next, value);
        return i;
      }
      b.set(next, null);
    }
    return i;
  }

  private static String shortKey(char c) {
    return switch (c) {
      case 'b' -> "b";
      case 'p' -> "p";
      case 'l' -> "l";
      case 'v' -> "v";
      case 'h' -> "h";
      default -> null;
    };
  }

  private static String matchLong(String name) throws UsageError {
    if (LONG.containsKey(name)) {
      return LONG.get(name);
    }
    List<String> hits = new ArrayList<>();
    for (String option : List.of("--base", "--profile", "--lang", "--version", "--safemode",
        "--syncserver", "--help")) {
      if (option.startsWith(name) && name.length() > 2) {
        hits.add(option);
      }
    }
    if (hits.size() > 1) {
      throw new UsageError("ambiguous option: " + name + " could match " + String.join(", ", hits));
    }
    return hits.isEmpty() ? null : LONG.get(hits.get(0));
  }

  private static boolean isNegativeNumber(String arg) {
    return arg.matches("^-\\d+$|^-\\d*\\.\\d+$");
  }

  /** Collects options as argparse's namespace does: the last occurrence wins. */
  private static final class Builder {
    String base = "";
    String profile = "";
    String lang;
    boolean version;
    boolean safemode;
    boolean syncserver;
    boolean help;
    final List<String> extras = new ArrayList<>();

    int takeNext(String key, List<String> argv, int i) throws UsageError {
      if (i + 1 >= argv.size() || looksLikeOption(argv.get(i + 1))) {
        throw new UsageError("argument " + DISPLAY.get(key) + ": expected one argument");
      }
      set(key, argv.get(i + 1));
      return i + 1;
    }

    private static boolean looksLikeOption(String arg) {
      return arg.startsWith("-") && arg.length() > 1 && !isNegativeNumber(arg);
    }

    void set(String key, String value) {
      switch (key) {
        case "b" -> base = value;
        case "p" -> profile = value;
        case "l" -> lang = value;
        case "v" -> version = true;
        case "safemode" -> safemode = true;
        case "syncserver" -> syncserver = true;
        case "h" -> help = true;
        default -> throw new IllegalArgumentException("unknown option key " + key);
      }
    }

    AnkiArgs build() {
      return new AnkiArgs(base, profile, lang, version, safemode, syncserver, help, extras);
    }
  }
}
