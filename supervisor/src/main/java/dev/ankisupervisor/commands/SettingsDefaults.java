package dev.ankisupervisor.commands;

import dev.ankisupervisor.systemd.UnitSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * picocli's source of each option's value when it is not on the command line: {@link SettingsLookup}'s
 * environment and config file (precedence flag > env > file > default), then the option's own
 * default. Also tells, for messages and {@code config}, where each value came from.
 *
 * <p>Threading: used by picocli on the parsing thread only. The config file (and a --unit) is read once,
 * in {@link #load}, before parsing starts.
 */
final class SettingsDefaults implements CommandLine.IDefaultValueProvider {
  /** The environment and the config file. */
  private final SettingsLookup lookup;
  /** Options whose value this provider supplied, and from where (picocli asks only for unmatched options). */
  private final Map<ArgSpec, SettingSource> served = new java.util.IdentityHashMap<>();

  /** The name of the --unit's unit, for `config`'s source column. */
  Optional<String> unitName() {
    return lookup.unit().map(UnitSettings::unit);
  }

  SettingsDefaults(Map<String, String> env) {
    this.lookup = new SettingsLookup(env);
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
    if (takesOption(args, root, ConfigFileOption.CONFIG.name())) {
      lookup.readConfigFile(valueOf(args, ConfigFileOption.CONFIG.name()));
    }
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
    List<String> warnings = new java.util.ArrayList<>();
    flags.keySet().stream().filter(u.environment()::containsKey).sorted().forEach(variable -> warnings.add("unit "
        + u.unit() + ": environment variable " + variable + " is ignored: its flag on the unit's ExecStart wins;"
        + " remove one of the two"));
    fromUnit.putAll(flags);
    fromUnit.replaceAll((k, v) -> v.startsWith("/") ? u.readable(Path.of(v)).toString() : v);
    lookup.overlayUnit(u, fromUnit, warnings);
  }

  /** The provider of {@code spec}'s command line, when it is one of ours. */
  static Optional<SettingsDefaults> of(CommandSpec spec) {
    return spec.defaultValueProvider() instanceof SettingsDefaults d ? Optional.of(d) : Optional.empty();
  }

  /** The --unit's settings, when one was given. */
  Optional<UnitSettings> unit() {
    return lookup.unit();
  }

  /** See {@link SettingsLookup#serviceSetting}. */
  Optional<String> serviceSetting(String longFlag) {
    return lookup.serviceSetting(longFlag);
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option) || !option.longestName().startsWith("--")) {
      return null;
    }
    Optional<String> text = lookup.text(option.longestName());
    text.ifPresent(t -> served.put(arg, lookup.origin(option.longestName())));
    return text.orElse(null);
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
    SettingSource source = sourceOf(arg);
    return source == SettingSource.FLAG || source == SettingSource.DEFAULT ? ""
        : lookup.describe(source, ((OptionSpec) arg).longestName());
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
    return option.longestName().startsWith("--") ? lookup.origin(option.longestName()) : SettingSource.DEFAULT;
  }

  /**
   * The refusal of a value built from {@code flags}: 78 naming the variable or the file when one of them
   * came from the environment or the config file, else 64 ({@link SettingsCheck#checked}).
   */
  UserError refusal(CommandSpec spec, IllegalArgumentException e, String... flags) {
    SettingSource worst = SettingSource.FLAG;
    StringBuilder where = new StringBuilder();
    for (String flag : flags) {
      OptionSpec option = spec.findOption(flag);
      if (option == null) {
        continue;
      }
      SettingSource source = sourceOf(option);
      if (ExitCodeMapper.ofBadValueFrom(source) == ExitCode.CONFIG) {
        worst = source;
        where.append(describeSource(option).replaceFirst("^ \\(from ", " (" + flag + " from "));
      }
    }
    return new UserError(ExitCodeMapper.ofBadValueFrom(worst), e.getMessage() + where, e);
  }

  Optional<Path> filePath() {
    return lookup.filePath();
  }

  /** {@link SettingsLookup#warnings} for {@code command}'s settings (its long options but help and version). */
  List<String> warnings(CommandSpec command, CommandLine.ParseResult parsed) {
    List<String> flags = new java.util.ArrayList<>();
    for (OptionSpec option : command.options()) {
      if (option.longestName().startsWith("--") && !option.usageHelp() && !option.versionHelp()) {
        flags.add(option.longestName());
      }
    }
    Set<String> given = new java.util.HashSet<>();
    parsed.matchedOptions().forEach(option -> given.add(option.longestName()));
    return lookup.warnings(command.name(), flags, given::contains);
  }

  /**
   * Checks that every key of the config file names an option of {@code command}.
   *
   * @throws UserError CONFIG (78) naming the unknown keys
   */
  void checkKeys(CommandSpec command) {
    lookup.checkKeys(command.name(), flag -> command.findOption(flag) != null);
  }
}
