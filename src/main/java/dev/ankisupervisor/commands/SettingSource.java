package dev.ankisupervisor.commands;

/**
 * Where an effective setting of {@code run} came from, in precedence order (the first wins); see
 * {@link SettingsDefaults}.
 */
enum SettingSource {
  /** Given on the command line. */
  FLAG("flag"),
  /** From its ANKI_SUPERVISOR_* environment variable. */
  ENVIRONMENT("environment"),
  /** From the --config file. */
  CONFIG_FILE("config file"),
  /** The option's built-in default (or none). */
  DEFAULT("default");

  private final String label;

  SettingSource(String label) {
    this.label = label;
  }

  /** The label `config` prints. */
  String label() {
    return label;
  }
}
