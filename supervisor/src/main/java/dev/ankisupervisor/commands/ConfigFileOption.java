package dev.ankisupervisor.commands;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --config FILE}: the properties file of {@code run}'s settings, read by
 * {@link SettingsDefaults#load} before parsing (this field only makes picocli accept the flag).
 * Shared by {@code run}, {@code prepare}, {@code config} and {@code doctor}. A picocli mixin.
 */
final class ConfigFileOption {
  @Option(names = "--config", paramLabel = "FILE",
      description = "A key=value properties file whose keys are the long flag names (e.g. `profile=server`);"
          + " precedence: flag > environment > file > default.")
  Path file;
}
