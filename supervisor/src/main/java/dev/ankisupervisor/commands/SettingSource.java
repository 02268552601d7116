package dev.ankisupervisor.commands;

/**
 * Where an effective setting of {@code run} came from, in precedence order (the first wins); see
 * {@link SettingsDefaults}. It also decides the exit code of a bad value
 * ({@link ExitCodeMapper#ofBadValueFrom}): a flag is the caller's usage (64), the environment or the
 * config file is the deployment's configuration (78).
 */
enum SettingSource {
  /** Given on the command line. */
  FLAG("flag"),
  /** From its ANKI_SUPERVISOR_* variable as the {@code --unit} gives it (ExecStart, Environment=, EnvironmentFile=). */
  UNIT("unit"),
  /** From its ANKI_SUPERVISOR_* environment variable. */
  ENVIRONMENT("environment"),
  /** From the --config file. */
  CONFIG_FILE("config file"),
  /** The option's built-in default (or none); a bad one is our bug, reported as usage. */
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
