package dev.ankisupervisor.commands;

import dev.ankisupervisor.config.AnkiSettings;
import picocli.CommandLine.Option;

/** {@code --addon-dir-name}: AnkiConnect's folder under addons21/ (A1). A picocli mixin. */
final class AddonDirNameOption {
  @Option(names = "--addon-dir-name", paramLabel = "DIR", defaultValue = AnkiSettings.ANKICONNECT_ADDON_ID,
      description = "AnkiConnect's folder under addons21/.")
  String name;
}
