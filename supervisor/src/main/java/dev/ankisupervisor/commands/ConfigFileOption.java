package dev.ankisupervisor.commands;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code --config FILE}: the properties file of {@code run}'s settings, read by
 * {@link SettingsDefaults#load} (and {@link QuickRun}) before parsing; the flag itself only names it.
 * Taken by {@code run}, {@code prepare}, {@code config} and {@code doctor}.
 */
final class ConfigFileOption {
  static final Flag<Path> CONFIG = Flag.path("--config", "FILE",
      "A key=value properties file whose keys are the long flag names (e.g. `profile=server`);"
          + " precedence: flag > environment > file > default.");

  static final List<Flag<?>> FLAGS = List.of(CONFIG);

  private ConfigFileOption() {}
}
