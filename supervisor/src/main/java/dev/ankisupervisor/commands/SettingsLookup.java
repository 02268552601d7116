package dev.ankisupervisor.commands;

import dev.ankisupervisor.config.SupervisorVariables;
import dev.ankisupervisor.files.TextFile;
import dev.ankisupervisor.systemd.UnitSettings;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Where a setting comes from when the command line does not give it: the environment variable
 * {@code ANKI_SUPERVISOR_<FLAG_IN_UPPER_SNAKE>} (overlaid by a {@code --unit}'s settings) first, then the
 * config file ({@code --config FILE} or {@code ANKI_SUPERVISOR_CONFIG}, a properties file whose keys
 * are the long flag names without dashes); the flag's own default after both. So the precedence is
 * flag > env > file > default, in this one place, for picocli ({@link SettingsDefaults}) and for
 * {@code run}'s quick parse ({@link QuickRun}) alike. Also the environment's warnings and the config
 * file's key check. Knows flags by their long names only: no picocli type here.
 *
 * <p>Threading: the parsing thread only; the file and the unit are read before parsing starts.
 */
final class SettingsLookup {
  static final String ENV_PREFIX = SupervisorVariables.PREFIX;

  /**
   * The ANKI_SUPERVISOR_* variables that are not settings of any command but are read elsewhere: the
   * logger's and the launcher's (docs/configuration.md, "Other environment variables").
   */
  static final Set<String> OTHER_VARIABLES = Set.of(ENV_PREFIX + "LOG_LEVEL", ENV_PREFIX + "LOG_FORMAT",
      ENV_PREFIX + "JAVA_OPTS", ENV_PREFIX + "EXTRA_JAVA_OPTS", ENV_PREFIX + "JAR", ENV_PREFIX + "CDS",
      ENV_PREFIX + "CDS_DIR");

  /** The environment settings are read from: the process's, overlaid by the --unit's when one is given. */
  private Map<String, String> env;
  /** The --unit's settings, when one was given. */
  private Optional<UnitSettings> unit = Optional.empty();
  /** The variables the --unit supplied. */
  private Set<String> unitVariables = Set.of();
  /** The --unit's own shadowed variables: a flag on its ExecStart over its environment's line. */
  private List<String> unitWarnings = List.of();
  /** The config file's entries; empty when no file. */
  private Properties file = new Properties();
  /** The config file, when one was given. */
  private Optional<Path> filePath = Optional.empty();

  SettingsLookup(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /** The environment variable of a long flag: {@code --start-timeout} -> {@code ANKI_SUPERVISOR_START_TIMEOUT}. */
  static String envName(String longFlag) {
    int start = 0;
    while (start < longFlag.length() && longFlag.charAt(start) == '-') {
      start++;
    }
    return ENV_PREFIX + longFlag.substring(start).replace('-', '_').toUpperCase(Locale.ROOT);
  }

  /**
   * Reads the config file: {@code path} (the --config flag's value), else ANKI_SUPERVISOR_CONFIG's;
   * none when both are missing or blank.
   *
   * @throws UserError CONFIG (78) when the file cannot be read or parsed
   */
  void readConfigFile(String path) {
    String name = path != null ? path : env.get(envName(ConfigFileOption.CONFIG.name()));
    if (name == null || name.isBlank()) {
      return;
    }
    Path p = Path.of(name);
    Properties props = new Properties();
    try {
      props.load(new StringReader(TextFile.read(p, TextFile.SETTINGS_MAX_BYTES)));
    } catch (IOException | IllegalArgumentException e) {
      throw new UserError(ExitCode.CONFIG, "cannot read config file " + p + " (" + e.getMessage()
          + "); it must be a readable key=value properties file (UTF-8 text); fix it or drop --config");
    }
    file = props;
    filePath = Optional.of(p);
  }

  /**
   * Lays a {@code --unit}'s settings over the environment.
   *
   * @param variables the unit's variables (its environment, then its ExecStart's flags as variables)
   * @param warnings the unit's own shadowed variables, for {@link #warnings}
   */
  void overlayUnit(UnitSettings u, Map<String, String> variables, List<String> warnings) {
    Map<String, String> merged = new HashMap<>(env);
    merged.putAll(variables);
    env = Map.copyOf(merged);
    unitVariables = Set.copyOf(variables.keySet());
    unitWarnings = List.copyOf(warnings);
    unit = Optional.of(u);
  }

  /** The --unit's settings, when one was given. */
  Optional<UnitSettings> unit() {
    return unit;
  }

  Optional<Path> filePath() {
    return filePath;
  }

  /** The text of {@code longFlag}'s setting when the command line does not give it: environment, then file. */
  Optional<String> text(String longFlag) {
    String fromEnv = env.get(envName(longFlag));
    return fromEnv != null ? Optional.of(fromEnv) : Optional.ofNullable(file.getProperty(longFlag.substring(2)));
  }

  /** Where {@link #text} finds {@code longFlag}'s setting: the unit, the environment, the file, or nowhere (DEFAULT). */
  SettingSource origin(String longFlag) {
    String name = envName(longFlag);
    if (env.get(name) != null) {
      return unitVariables.contains(name) ? SettingSource.UNIT : SettingSource.ENVIRONMENT;
    }
    return file.getProperty(longFlag.substring(2)) != null ? SettingSource.CONFIG_FILE : SettingSource.DEFAULT;
  }

  /** Where a value came from, for a message: "" for the command line or a default, else " (from ...)". */
  String describe(SettingSource source, String longFlag) {
    return switch (source) {
      case ENVIRONMENT -> " (from environment variable " + envName(longFlag) + ")";
      case UNIT -> " (from " + envName(longFlag) + " of unit " + unit.orElseThrow().unit() + ")";
      case CONFIG_FILE -> " (from config file " + filePath.orElseThrow() + ")";
      case FLAG, DEFAULT -> "";
    };
  }

  /**
   * The value a setting has in the service's environment (the --unit's, else this process's), for a
   * command that derives a default from a setting it does not take as a flag ({@code sync-now}'s
   * pidfile from {@code --state-dir}).
   */
  Optional<String> serviceSetting(String longFlag) {
    return Optional.ofNullable(env.get(envName(longFlag))).filter(v -> !v.isBlank());
  }

  /**
   * What an operator should know about the environment of {@code command} (the service's settings):
   * a variable whose flag is also on the command line (the flag wins, the variable is silently
   * unused), and an ANKI_SUPERVISOR_* variable that names no setting of the command (a misspelling,
   * with the nearest name). Never the values: they are not shown anywhere.
   *
   * @param longFlags the command's settings, in the order its usage lists them
   * @param given whether a long flag is on the command line
   */
  List<String> warnings(String command, List<String> longFlags, Predicate<String> given) {
    List<String> out = new ArrayList<>(unitWarnings);
    Set<String> known = new TreeSet<>();
    for (String flag : longFlags) {
      String name = envName(flag);
      known.add(name);
      if (given.test(flag) && env.containsKey(name)) {
        out.add("environment variable " + name + " is ignored: " + flag
            + " on the command line wins; remove one of the two");
      }
    }
    for (String name : new TreeSet<>(env.keySet())) {
      if (name.startsWith(ENV_PREFIX) && !known.contains(name) && !OTHER_VARIABLES.contains(name)) {
        out.add("environment variable " + name + " names no setting of `" + command + "`, so it is ignored"
            + nearest(name, known).map(n -> "; did you mean " + n + "?").orElse("")
            + " (every variable: docs/configuration.md)");
      }
    }
    return out;
  }

  /** The known name closest to {@code name}, if it is a likely misspelling (at most 3 edits). */
  private static Optional<String> nearest(String name, Set<String> known) {
    String best = null;
    int bestDistance = 4;
    for (String k : known) {
      int d = editDistance(name, k);
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
  }

  private static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int subst = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(subst, Math.min(prev[j], cur[j - 1]) + 1);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /**
   * Checks that every key of the config file names a setting of {@code command}.
   *
   * @param takes whether the command has a long flag of that name
   * @throws UserError CONFIG (78) naming the unknown keys
   */
  void checkKeys(String command, Predicate<String> takes) {
    Set<String> unknown = new TreeSet<>();
    for (String key : file.stringPropertyNames()) {
      if (!takes.test("--" + key) || key.equals("config")) {
        unknown.add(key);
      }
    }
    if (!unknown.isEmpty()) {
      throw new UserError(ExitCode.CONFIG, "unknown key(s) " + unknown + " in config file " + filePath.orElseThrow()
          + " for `" + command + "`; keys are the long flag names without dashes (see --help); fix the file");
    }
  }
}
