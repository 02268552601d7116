package dev.ankisupervisor.commands;

import dev.ankisupervisor.config.SupervisorSettings;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.slf4j.LoggerFactory;

/**
 * {@code run} without picocli, for the command lines a service uses: each flag of {@code run}
 * ({@link SupervisorOptions#FLAGS}) at most once (a list flag repeated), as {@code --flag VALUE},
 * {@code --flag=VALUE}, a switch alone or {@code --no-sync-on-start}, and settings from ANKI_SUPERVISOR_*
 * variables and the --config file ({@link SettingsLookup}). The same settings, warnings, run and exit
 * code as picocli's {@code run} ({@link RunCommand}), without picocli's part of the start: its classes
 * are Java 5 class files, never in a class-data archive and verified at every start, and it reflects
 * over fifty options (about 270 ms of the 440 ms from start to Anki's spawn on a quiet machine;
 * docs/performance.md).
 *
 * <p>Anything else is left to picocli, which knows the rules and the messages: help and version, an
 * unknown, repeated or misplaced flag, a value that starts with {@code -} or {@code @} (picocli's
 * argument files), a variable or file entry picocli would interpolate ({@code ${...}}) or read as
 * no value, a list value with quotes, and every value a rule refuses. Nothing is written or started
 * before that decision; the secret files are only read. {@code QuickRunTest} checks that both paths
 * give the same settings and warnings.
 *
 * <p>Threading: the main thread.
 */
final class QuickRun {
  private static final String COMMAND = "run";

  /** What the quick parse found. */
  record Parsed(SupervisorSettings settings, List<String> warnings) {}

  private QuickRun() {}

  /**
   * Runs {@code run} when picocli is not needed for {@code args}.
   *
   * @param args the whole command line, {@code run} first
   * @return the exit code, or empty when picocli must handle it
   */
  static OptionalInt run(String[] args, Map<String, String> env) {
    Optional<Parsed> parsed = parse(args, env);
    if (parsed.isEmpty()) {
      return OptionalInt.empty();
    }
    SpawnPathWarmup.awaitLogging();
    // RunCommand's logger, as picocli's path logs them.
    parsed.get().warnings().forEach(LoggerFactory.getLogger(RunCommand.class)::warn);
    try {
      return OptionalInt.of(SupervisorRun.run(parsed.get().settings(), env, Optional.empty()));
    } catch (Exception e) {
      PrintWriter err = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.err, stderrCharset())), true);
      return OptionalInt.of(FailureReport.print(e, COMMAND, err, new ErrorLine(env), false, FailureReport::exitCodeOf));
    }
  }

  /** stderr's charset as picocli picks it. */
  private static Charset stderrCharset() {
    String name = System.getProperty("sun.stderr.encoding");
    try {
      return name == null ? Charset.defaultCharset() : Charset.forName(name);
    } catch (RuntimeException e) {
      return Charset.defaultCharset();
    }
  }

  /**
   * The settings and warnings of {@code args} and {@code env}, or empty when picocli must parse them.
   * Reads the config file and the secret files; writes nothing.
   */
  static Optional<Parsed> parse(String[] args, Map<String, String> env) {
    if (args.length == 0 || !args[0].equals(COMMAND)) {
      return Optional.empty();
    }
    Map<String, Flag<?>> byName = new HashMap<>();
    for (Flag<?> f : SupervisorOptions.FLAGS) {
      byName.put(f.name(), f);
      if (f.kind() == Flag.Kind.NEGATABLE_SWITCH) {
        byName.put(f.negatedName(), f);
      }
    }
    Map<Flag<?>, List<String>> given = new LinkedHashMap<>();
    Set<Flag<?>> negated = new HashSet<>();
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      int eq = arg.indexOf('=');
      Flag<?> f = arg.startsWith("--") ? byName.get(eq < 0 ? arg : arg.substring(0, eq)) : null;
      if (f == null || (given.containsKey(f) && !f.kind().isList()) || (f.kind().isSwitch() && eq >= 0)) {
        return Optional.empty(); // not a flag of run, repeated, or a switch with a value: picocli's rules
      }
      String text;
      if (f.kind().isSwitch()) {
        text = "";
        if (!arg.equals(f.name())) {
          negated.add(f);
        }
      } else if (eq >= 0) {
        text = arg.substring(eq + 1);
      } else if (i + 1 < args.length && !args[i + 1].startsWith("-") && !args[i + 1].startsWith("@")) {
        text = args[++i];
      } else {
        return Optional.empty();
      }
      given.computeIfAbsent(f, k -> new ArrayList<>()).add(text);
    }
    try {
      SettingsLookup lookup = new SettingsLookup(env);
      List<String> config = given.get(ConfigFileOption.CONFIG);
      lookup.readConfigFile(config == null ? null : config.get(0));
      lookup.checkKeys(COMMAND, name -> byName.containsKey(name) && byName.get(name).name().equals(name));
      Map<Flag<?>, Object> values = new HashMap<>();
      for (Flag<?> f : SupervisorOptions.FLAGS) {
        values.put(f, value(f, given.get(f), negated.contains(f), lookup));
      }
      FlagValues flagValues = new FlagValues() {
        @Override
        @SuppressWarnings("unchecked")
        public <T> T get(Flag<T> flag) {
          if (!values.containsKey(flag)) {
            throw new IllegalArgumentException("run has no flag " + flag.name() + " (a bug)");
          }
          return (T) values.get(flag);
        }
      };
      SupervisorSettings settings = new SupervisorOptions(flagValues).toSettings(null);
      List<String> names = SupervisorOptions.FLAGS.stream().map(Flag::name).toList();
      Set<String> givenNames = new HashSet<>();
      given.keySet().forEach(f -> givenNames.add(f.name()));
      return Optional.of(new Parsed(settings, lookup.warnings(COMMAND, names, givenNames::contains)));
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
