package dev.ankisupervisor.commands;

import dev.ankisupervisor.config.SupervisorVariables;
import dev.ankisupervisor.files.TextFile;
import dev.ankisupervisor.systemd.UnitSettings;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Supplies each option's value when it is not on the command line: the environment variable
 * {@code ANKI_SUPERVISOR_<FLAG_IN_UPPER_SNAKE>} first, then the config file ({@code --config FILE}
 * or {@code ANKI_SUPERVISOR_CONFIG}, a properties file whose keys are the long flag names without
 * dashes), then the annotation's default. So the precedence is flag > env > file > default.
 *
 * <p>Threading: used by picocli on the parsing thread only. The config file is read once, in
 * {@link #load}, before parsing starts.
 */
final class SettingsDefaults implements CommandLine.IDefaultValueProvider {
  static final String ENV_PREFIX = SupervisorVariables.PREFIX;

  /** The environment settings are read from: the process's, overlaid by the --unit's when one is given. */
  private Map<String, String> env;
  /** The --unit's settings, when one was given. */
  private Optional<UnitSettings> unit = Optional.empty();
  /** The variables the --unit supplied. */
  private Set<String> unitVariables = Set.of();
  /** The --unit's own shadowed variables: a flag on its ExecStart over its environment's line. */
  private final java.util.List<String> unitWarnings = new java.util.ArrayList<>();
  /** The config file's entries; empty when no file. */
  private Properties file = new Properties();
  /** The config file, when one was given. */
  private Optional<Path> filePath = Optional.empty();
  /** Options whose value this provider supplied, and from where (picocli asks only for unmatched options). */
  private final Map<ArgSpec, SettingSource> served = new java.util.IdentityHashMap<>();

  /** The name of the --unit's unit, for `config`'s source column. */
  Optional<String> unitName() {
    return unit.map(UnitSettings::unit);
  }

  SettingsDefaults(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /** The environment variable of a long flag: {@code --start-timeout} -> {@code ANKI_SUPERVISOR_START_TIMEOUT}. */
  static String envName(String longFlag) {
    return ENV_PREFIX + longFlag.replaceFirst("^-+", "").replace('-', '_').toUpperCase(Locale.ROOT);
  }

  /**
   * Finds {@code --config FILE} (or {@code --config=FILE}, or ANKI_SUPERVISOR_CONFIG) in {@code args}
   * and reads the file, but only for a subcommand that has a {@code --config} option: for the others
   * (status, sync-now...) picocli refuses {@code --config} with that command's own usage code.
   *
   * @throws UserError CONFIG (78) when the file cannot be read or parsed
   */
  void load(String[] args, CommandLine root) {
    if (takesOption(args, root, UnitOption.FLAG)) {
      String name = valueOf(args, UnitOption.FLAG);
      if (name != null && !name.isBlank()) {
        loadUnit(name);
      }
    }
    if (!takesOption(args, root, "--config")) {
      return;
    }
    String path = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--")) {
        break;
      }
      if (args[i].equals("--config") && i + 1 < args.length) {
        path = args[i + 1];
      } else if (args[i].startsWith("--config=")) {
        path = args[i].substring("--config=".length());
      }
    }
    if (path == null) {
      path = env.get(envName("--config"));
    }
    if (path == null || path.isBlank()) {
      return;
    }
    Path p = Path.of(path);
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

  /** Whether the subcommand {@code args} names (the first word that is not an option) has {@code option}. */
  private static boolean takesOption(String[] args, CommandLine root, String option) {
    for (String a : args) {
      if (!a.startsWith("-")) {
        CommandLine sub = root.getSubcommands().get(a);
        return sub != null && sub.getCommandSpec().findOption(option) != null;
      }
    }
    return false;
  }

  /** The value of {@code --flag V} or {@code --flag=V} in {@code args} (the last one), or null. */
  private static String valueOf(String[] args, String flag) {
    String value = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--")) {
        break;
      }
      if (args[i].equals(flag) && i + 1 < args.length) {
        value = args[i + 1];
      } else if (args[i].startsWith(flag + "=")) {
        value = args[i].substring(flag.length() + 1);
      }
    }
    return value;
  }

  /**
   * Reads {@code --unit}'s settings and lays them over the environment: the unit's variables, then
   * the flags of its {@code run} ExecStart as their variables (a flag wins in the service too).
   * A path into the unit's credentials folder becomes its LoadCredential= source when the copy
   * cannot be read (the unit is stopped, or we are not its user).
   *
   * @throws UserError CONFIG (78) when systemctl cannot tell or the ExecStart does not parse
   */
  private void loadUnit(String name) {
    UnitSettings u;
    try {
      u = UnitSettings.read(name);
    } catch (IOException e) {
      throw new UserError(ExitCode.CONFIG, "cannot read the settings of unit " + name + ": " + e.getMessage());
    }
    Map<String, String> fromUnit = new java.util.LinkedHashMap<>(u.environment());
    Map<String, String> flags = UnitFlags.asVariables(u);
    flags.keySet().stream().filter(u.environment()::containsKey).sorted().forEach(variable -> unitWarnings.add("unit "
        + u.unit() + ": environment variable " + variable + " is ignored: its flag on the unit's ExecStart wins;"
        + " remove one of the two"));
    fromUnit.putAll(flags);
    fromUnit.replaceAll((k, v) -> v.startsWith("/") ? u.readable(Path.of(v)).toString() : v);
    Map<String, String> merged = new java.util.HashMap<>(env);
    merged.putAll(fromUnit);
    env = Map.copyOf(merged);
    unitVariables = Set.copyOf(fromUnit.keySet());
    unit = Optional.of(u);
  }

  /** The provider of {@code spec}'s command line, when it is one of ours. */
  static Optional<SettingsDefaults> of(CommandSpec spec) {
    return spec.defaultValueProvider() instanceof SettingsDefaults d ? Optional.of(d) : Optional.empty();
  }

  /** The --unit's settings, when one was given. */
  Optional<UnitSettings> unit() {
    return unit;
  }

  /**
   * The value a setting has in the service's environment (the --unit's, else this process's), for a
   * command that derives a default from a setting it does not take as a flag ({@code sync-now}'s
   * pidfile from {@code --state-dir}).
   */
  Optional<String> serviceSetting(String longFlag) {
    return Optional.ofNullable(env.get(envName(longFlag))).filter(v -> !v.isBlank());
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option) || !option.longestName().startsWith("--")) {
      return null;
    }
    String fromEnv = env.get(envName(option.longestName()));
    if (fromEnv != null) {
      served.put(arg, unitVariables.contains(envName(option.longestName())) ? SettingSource.UNIT : SettingSource.ENVIRONMENT);
      return fromEnv;
    }
    String fromFile = file.getProperty(option.longestName().substring(2));
    if (fromFile != null) {
      served.put(arg, SettingSource.CONFIG_FILE);
    }
    return fromFile;
  }

  /**
   * Where {@code arg}'s value came from. Picocli asks this provider only for options absent from the
   * command line, after the command line is parsed; so a value we served is from env or file.
   */
  SettingSource sourceOf(ArgSpec arg) {
    boolean matched = arg.command() != null && arg.command().commandLine() != null
        && arg.command().commandLine().getParseResult() != null
        && arg.command().commandLine().getParseResult().matchedArgs().contains(arg);
    if (matched || arg instanceof CommandLine.Model.PositionalParamSpec) {
      return SettingSource.FLAG;
    }
    return served.getOrDefault(arg, SettingSource.DEFAULT);
  }

  /** Where the value came from, for a message: "" for the command line, else " (from ...)". */
  String describeSource(ArgSpec arg) {
    return switch (sourceOf(arg)) {
      case ENVIRONMENT -> " (from environment variable " + envName(((OptionSpec) arg).longestName()) + ")";
      case UNIT -> " (from " + envName(((OptionSpec) arg).longestName()) + " of unit " + unit.orElseThrow().unit() + ")";
      case CONFIG_FILE -> " (from config file " + filePath.orElseThrow() + ")";
      case FLAG, DEFAULT -> "";
    };
  }

  /**
   * Where {@code option}'s value came from (the precedence above, in one place).
   *
   * @param onCommandLine whether the option was given on the command line
   */
  SettingSource sourceOf(OptionSpec option, boolean onCommandLine) {
    if (onCommandLine) {
      return SettingSource.FLAG;
    }
    if (!option.longestName().startsWith("--")) {
      return SettingSource.DEFAULT;
    }
    if (env.get(envName(option.longestName())) != null) {
      return unitVariables.contains(envName(option.longestName())) ? SettingSource.UNIT : SettingSource.ENVIRONMENT;
    }
    return comesFromFile(option) ? SettingSource.CONFIG_FILE : SettingSource.DEFAULT;
  }

  /** Whether {@code arg}'s value, when absent from the command line, comes from the config file. */
  boolean comesFromFile(ArgSpec arg) {
    return arg instanceof OptionSpec option && option.longestName().startsWith("--")
        && env.get(envName(option.longestName())) == null
        && file.getProperty(option.longestName().substring(2)) != null;
  }

  Optional<Path> filePath() {
    return filePath;
  }

  /**
   * The ANKI_SUPERVISOR_* variables that are not settings of any command but are read elsewhere: the
   * logger's and the launcher's (docs/configuration.md, "Other environment variables").
   */
  static final Set<String> OTHER_VARIABLES = Set.of("LOG_LEVEL", "LOG_FORMAT", "JAVA_OPTS", "EXTRA_JAVA_OPTS", "JAR",
      "CDS", "CDS_DIR").stream().map(n -> ENV_PREFIX + n).collect(java.util.stream.Collectors.toUnmodifiableSet());

  /**
   * What an operator should know about the environment of {@code command} (the service's settings):
   * a variable whose flag is also on the command line (the flag wins, the variable is silently
   * unused), and an ANKI_SUPERVISOR_* variable that names no setting of the command (a misspelling,
   * with the nearest name). Never the values: they are not shown anywhere.
   */
  java.util.List<String> warnings(CommandSpec command, CommandLine.ParseResult parsed) {
    java.util.List<String> out = new java.util.ArrayList<>(unitWarnings);
    Set<String> known = new TreeSet<>();
    for (OptionSpec option : command.options()) {
      if (!option.longestName().startsWith("--") || option.usageHelp() || option.versionHelp()) {
        continue;
      }
      String name = envName(option.longestName());
      known.add(name);
      if (parsed.hasMatchedOption(option) && env.containsKey(name)) {
        out.add("environment variable " + name + " is ignored: " + option.longestName()
            + " on the command line wins; remove one of the two");
      }
    }
    for (String name : new TreeSet<>(env.keySet())) {
      if (name.startsWith(ENV_PREFIX) && !known.contains(name) && !OTHER_VARIABLES.contains(name)) {
        out.add("environment variable " + name + " names no setting of `" + command.name() + "`, so it is ignored"
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
   * Checks that every key of the config file names an option of {@code command}.
   *
   * @throws UserError CONFIG (78) naming the unknown keys
   */
  void checkKeys(CommandSpec command) {
    Set<String> unknown = new TreeSet<>();
    for (String key : file.stringPropertyNames()) {
      if (command.findOption("--" + key) == null || key.equals("config")) {
        unknown.add(key);
      }
    }
    if (!unknown.isEmpty()) {
      throw new UserError(ExitCode.CONFIG, "unknown key(s) " + unknown + " in config file " + filePath.orElseThrow()
          + " for `" + command.name() + "`; keys are the long flag names without dashes (see --help); fix the file");
    }
  }
}
