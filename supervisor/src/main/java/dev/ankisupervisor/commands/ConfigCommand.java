package dev.ankisupervisor.commands;

import dev.ankisupervisor.config.Secret;
import dev.ankisupervisor.config.SupervisorSettings;
import dev.ankisupervisor.prepare.AddonSourceMirror;
import dev.ankisupervisor.prepare.PrepareException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code anki-supervisor config}: prints the effective settings of {@code run} (like {@code sshd -T}),
 * one line per flag: {@code name value  # source}, where source is the flag, its environment
 * variable, the config file or the default. It checks every rule {@code run} checks when it parses
 * (and that --addon-source is an add-on folder), and touches nothing else: not Anki, not the base
 * folder, not the network. Secret files are named, never read ({@code <from FILE>}): they may exist
 * only inside the unit (systemd credentials). Exit 0; a bad value 64 from a flag, 78 from the
 * environment or the config file, as for {@code run}.
 *
 * <p>Threading: the main thread only.
 */
@Command(name = "config", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Prints the effective settings of `run` (every flag, its value and where it came from) and exits;"
        + " touches nothing. Takes the same flags, environment variables and config file as `run`.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the settings are valid (printed)", "64:a flag is wrong (one line on stderr)",
        "78:a setting from the environment or the config file is wrong, or --addon-source is not an add-on folder"})
final class ConfigCommand implements Callable<Integer> {
  private static final Pattern PLAIN_WORD = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

  @Mixin CommandSpec options = FlagSpecs.mixin(SupervisorOptions.FLAGS);

  @Mixin UnitOption unit;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    SettingsCheck.checkConfigKeys(spec);
    PrintWriter err = spec.commandLine().getErr();
    SettingsCheck.environmentWarnings(spec).forEach(w -> err.println("config: warning: " + w));
    err.flush();
    // The same checks as `run` (64 for a bad flag, 78 for a bad variable or file), with the secret files
    // named only (never read).
    SupervisorSettings settings = new SupervisorOptions(FlagSpecs.values(spec))
        .toSettings(spec, (file, flag) -> Optional.ofNullable(file).map(f -> new Secret("<from " + f + ">")));
    if (settings.anki().addonSource().isPresent()) {
      try {
        AddonSourceMirror.checkSource(settings.anki().addonSource().get());
      } catch (PrepareException e) {
        throw new UserError(ExitCode.CONFIG, e.getMessage(), e);
      }
    }
    print(spec.commandLine().getOut(), spec.commandLine().getParseResult());
    return ExitCode.OK.code();
  }

  private void print(PrintWriter out, ParseResult parsed) {
    SettingsDefaults defaults = spec.defaultValueProvider() instanceof SettingsDefaults d ? d : null;
    for (OptionSpec option : spec.options()) {
      if (option.usageHelp() || option.versionHelp() || option.longestName().equals(UnitOption.FLAG)) {
        continue; // not settings of run
      }
      String name = option.longestName();
      boolean given = parsed.hasMatchedOption(option);
      SettingSource source = defaults == null ? (given ? SettingSource.FLAG : SettingSource.DEFAULT)
          : defaults.sourceOf(option, given);
      out.println(name.substring(2) + " " + value(option) + "  # " + source.label() + detail(source, name, defaults));
    }
    out.flush();
  }

  private static String detail(SettingSource source, String name, SettingsDefaults defaults) {
    return switch (source) {
      case ENVIRONMENT -> " " + SettingsLookup.envName(name);
      case UNIT -> " " + defaults.unitName().orElseThrow() + " " + SettingsLookup.envName(name);
      case CONFIG_FILE -> " " + defaults.filePath().orElseThrow();
      default -> "";
    };
  }

  /** The value as the flag would take it; secret files as {@code <from FILE>}. */
  private static String value(OptionSpec option) {
    Object v = option.getValue();
    if (v == null || (v instanceof List<?> l && l.isEmpty())) {
      return "(none)";
    }
    if (SupervisorOptions.SECRET_FILE_FLAGS.contains(option.longestName())) {
      return "<from " + v + ">";
    }
    if (v instanceof Duration d) {
      return DurationText.format(d);
    }
    if (v instanceof List<?> l && option.longestName().equals("--anki-command")) {
      return l.size() == 1 ? l.get(0).toString() : l.stream().map(w -> quote(w.toString())).collect(Collectors.joining(" "));
    }
    if (v instanceof List<?> l) {
      return l.stream().map(Object::toString).collect(Collectors.joining(","));
    }
    return v instanceof Path p ? p.toString() : v.toString();
  }

  private static String quote(String word) {
    return PLAIN_WORD.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
  }
}
