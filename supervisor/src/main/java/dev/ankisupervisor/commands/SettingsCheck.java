package dev.ankisupervisor.commands;

import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Checks, for every command, what picocli cannot: the config file's keys, and the rules that
 * settings records and parsers apply to values already converted. A bad value's exit code follows
 * where its settings came from ({@link ExitCodeMapper#ofBadValueFrom}): 64 when every setting involved
 * was a flag, 78 (naming the variable or the file) when one came from the environment or the config
 * file. Pure; the parsing
 * thread. Its code names no picocli model type but {@link CommandSpec}, so {@code run}'s quick parse
 * (which passes none) runs it without loading picocli.
 */
final class SettingsCheck {
  private SettingsCheck() {}

  static void checkConfigKeys(CommandSpec spec) {
    if (spec.defaultValueProvider() instanceof SettingsDefaults defaults) {
      defaults.checkKeys(spec);
    }
  }

  /**
   * The environment's warnings for a command that runs the service's settings ({@code run},
   * {@code prepare}, {@code config}): shadowed and misspelled ANKI_SUPERVISOR_* variables.
   */
  static List<String> environmentWarnings(CommandSpec spec) {
    return spec.defaultValueProvider() instanceof SettingsDefaults defaults
        ? defaults.warnings(spec, spec.commandLine().getParseResult()) : List.of();
  }

  /**
   * Builds a value from settings; its refusal (an {@link IllegalArgumentException}) becomes a
   * {@link UserError} whose code follows where the {@code flags} feeding it came from.
   *
   * @param spec the command whose options these are; null: as if every value came from a flag
   * @param flags the long names of every option the value is built from
   */
  static <T> T checked(CommandSpec spec, Supplier<T> build, String... flags) {
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      if (spec != null && spec.defaultValueProvider() instanceof SettingsDefaults defaults) {
        throw defaults.refusal(spec, e, flags);
      }
      throw new UserError(ExitCodeMapper.ofBadValueFrom(SettingSource.FLAG), e.getMessage(), e);
    }
  }
}
