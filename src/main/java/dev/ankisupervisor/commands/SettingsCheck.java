package dev.ankisupervisor.commands;

import picocli.CommandLine.Model.CommandSpec;

/** Checks, once per command, what picocli cannot: the config file's keys. Pure; the parsing thread. */
final class SettingsCheck {
  private SettingsCheck() {}

  static void checkConfigKeys(CommandSpec spec) {
    if (spec.defaultValueProvider() instanceof SettingsDefaults defaults) {
      defaults.checkKeys(spec);
    }
  }
}
