package dev.ankisupervisor.commands;

import dev.ankisupervisor.config.AnkiSettings;
import java.util.List;

/** {@code --addon-dir-name}: AnkiConnect's folder under addons21/ (A1). */
final class AddonDirNameOption {
  static final Flag<String> ADDON_DIR_NAME = Flag.text("--addon-dir-name", "DIR",
      "AnkiConnect's folder under addons21/.").withDefault(AnkiSettings.ANKICONNECT_ADDON_ID);

  static final List<Flag<?>> FLAGS = List.of(ADDON_DIR_NAME);

  private AddonDirNameOption() {}
}
