package dev.ankisupervisor.commands;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a command's {@link Flag}s without picocli, for the command lines services and timers use: each
 * flag at most once (a list flag repeated), as {@code --flag VALUE}, {@code --flag=VALUE}, a switch
 * alone or a negatable switch's {@code --no-} form; settings from ANKI_SUPERVISOR_* variables and,
 * for a command that takes {@code --config}, the config file ({@link SettingsLookup}); then each
 * flag's default. The values are picocli's for the same input (its conversions and its rules for
 * switches and lists); {@code QuickRunTest} and {@code QuickBackupTest} compare them.
 *
 * <p>Whatever needs picocli's rules or messages gives no answer (the caller then leaves the command
 * line to picocli): help and version, an unknown, repeated or misplaced flag, a required flag not
 * given, a value that starts with {@code -} or {@code @} (picocli's argument files), a variable or
 * file entry picocli would interpolate ({@code ${...}}) or read as no value ({@code _NULL_}), a list
 * value with quotes, a config file that cannot be read or holds an unknown key, and any value a rule
 * refuses. It only reads (the config file); it writes nothing.
 *
 * <p>Threading: the main thread. No picocli type here (picocli's classes are Java 5 class files:
 * never in a class-data archive, verified at every start).
 */
final class QuickParse {
  /**
   * A command line read.
   *
   * @param values every flag's value
   * @param given the long names of the flags on the command line
   * @param lookup the environment and config file the values came from (for the warnings)
   */
  record Result(FlagValues values, Set<String> given, SettingsLookup lookup) {}

  private QuickParse() {}

  /**
   * Reads {@code args} (the command line after the command's name) for {@code command}.
   *
   * @param flags every flag the command takes
   * @return the values, or empty when picocli must read this command line
   */
  static Optional<Result> of(String command, List<String> args, List<Flag<?>> flags, Map<String, String> env) {
    Map<String, Flag<?>> byName = new HashMap<>();
    for (Flag<?> f : flags) {
      byName.put(f.name(), f);
      if (f.kind() == Flag.Kind.NEGATABLE_SWITCH) {
        byName.put(f.negatedName(), f);
      }
    }
    Map<Flag<?>, List<String>> given = new LinkedHashMap<>();
    Set<Flag<?>> negated = new HashSet<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      int eq = arg.indexOf('=');
      Flag<?> f = arg.startsWith("--") ? byName.get(eq < 0 ? arg : arg.substring(0, eq)) : null;
      if (f == null || (given.containsKey(f) && !f.kind().isList()) || (f.kind().isSwitch() && eq >= 0)) {
        return Optional.empty(); // not a flag of the command, repeated, or a switch with a value: picocli's rules
      }
      String text;
      if (f.kind().isSwitch()) {
        text = "";
        if (!arg.equals(f.name())) {
          negated.add(f);
        }
      } else if (eq >= 0) {
        text = arg.substring(eq + 1);
      } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("-") && !args.get(i + 1).startsWith("@")) {
        text = args.get(++i);
      } else {
        return Optional.empty();
      }
      given.computeIfAbsent(f, k -> new ArrayList<>()).add(text);
    }
    for (Flag<?> f : flags) {
      if (f.isRequired() && !given.containsKey(f)) {
        return Optional.empty(); // picocli's "Missing required option"
      }
    }
    try {
      SettingsLookup lookup = new SettingsLookup(env);
      if (flags.contains(ConfigFileOption.CONFIG)) {
        List<String> config = given.get(ConfigFileOption.CONFIG);
        lookup.readConfigFile(config == null ? null : config.get(0));
        lookup.checkKeys(command, name -> byName.containsKey(name) && byName.get(name).name().equals(name));
      }
      Map<Flag<?>, Object> values = new HashMap<>();
      for (Flag<?> f : flags) {
        values.put(f, value(f, given.get(f), negated.contains(f), lookup));
      }
      Set<String> givenNames = new HashSet<>();
      given.keySet().forEach(f -> givenNames.add(f.name()));
      return Optional.of(new Result(new FlagValues() {
        @Override
        @SuppressWarnings("unchecked")
        public <T> T get(Flag<T> flag) {
          if (!values.containsKey(flag)) {
            throw new IllegalArgumentException(command + " has no flag " + flag.name() + " (a bug)");
          }
          return (T) values.get(flag);
        }
      }, givenNames, lookup));
    } catch (RuntimeException e) {
      return Optional.empty(); // a value refused, a file unreadable: picocli's path says so, in its words
    }
  }

  /** The value of {@code f}: from the command line ({@code texts}), else the environment or file, else its default. */
  private static Object value(Flag<?> f, List<String> texts, boolean negated, SettingsLookup lookup) {
    return switch (f.kind()) {
      // picocli: a switch given is the opposite of its default; a negatable one is on, its --no- form off
      case SWITCH -> texts != null ? !bool(setting(f, lookup)) : bool(setting(f, lookup));
      case NEGATABLE_SWITCH -> texts != null ? !negated : bool(setting(f, lookup));
      case WORDS -> texts != null ? List.copyOf(texts) : Optional.ofNullable(setting(f, lookup)).map(List::of).orElse(null);
      case LIST -> list(f, texts != null ? texts : Optional.ofNullable(setting(f, lookup)).map(List::of).orElse(null));
      case TEXT -> checked(f, texts != null ? texts.get(0) : setting(f, lookup));
      case PATH -> Optional.ofNullable(texts != null ? texts.get(0) : setting(f, lookup)).map(Path::of).orElse(null);
      case NUMBER -> Optional.ofNullable(texts != null ? texts.get(0) : setting(f, lookup)).map(Integer::valueOf).orElse(null);
      case DURATION -> Optional.ofNullable(texts != null ? texts.get(0) : setting(f, lookup)).map(DurationText::parse)
          .orElse(null);
    };
  }

  /**
   * The text of {@code f} when the command line does not give it: environment, file, default. A text
   * picocli would interpolate ({@code ${...}}) or read as no value ({@code _NULL_}) is left to it.
   */
  private static String setting(Flag<?> f, SettingsLookup lookup) {
    Optional<String> text = lookup.text(f.name());
    if (text.isPresent() && (text.get().contains("${") || text.get().equals("_NULL_"))) {
      throw new IllegalArgumentException("left to picocli: " + f.name());
    }
    return text.orElse(f.defaultValue());
  }

  /** picocli's boolean: true or false in any case; anything else is left to it. */
  private static boolean bool(String text) {
    if ("true".equalsIgnoreCase(text) || "false".equalsIgnoreCase(text)) {
      return Boolean.parseBoolean(text);
    }
    throw new IllegalArgumentException("left to picocli: '" + text + "' as a boolean");
  }

  private static String checked(Flag<?> f, String text) {
    if (text != null && f.check() != null) {
      f.check().accept(text);
    }
    return text;
  }

  /** A comma-separated list's values, each checked; one with quotes is left to picocli (it splits around them). */
  private static List<String> list(Flag<?> f, List<String> texts) {
    if (texts == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (String text : texts) {
      if (text.contains("\"") || text.contains("\\")) {
        throw new IllegalArgumentException("left to picocli: " + f.name() + " with quotes");
      }
      for (String item : text.split(Flag.LIST_SEPARATOR)) {
        out.add(checked(f, item));
      }
    }
    return out;
  }
}
