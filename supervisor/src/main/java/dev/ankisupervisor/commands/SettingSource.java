package dev.ankisupervisor.commands;

/**
 * Where an effective setting of {@code run} came from, in precedence order (the first wins); see
 * {@link SettingsDefaults}. It also decides the exit code of a bad value: a flag is the caller's
 * usage (64), the environment or the config file is the deployment's configuration (78), so
 * systemd's {@code RestartPreventExitStatus=64 78} stops both and the message says which to fix.
 */
enum SettingSource {
  /** Given on the command line. */
  FLAG("flag", ExitCode.USAGE),
  /** From its ANKI_SUPERVISOR_* variable as the {@code --unit} gives it (ExecStart, Environment=, EnvironmentFile=). */
  UNIT("unit", ExitCode.CONFIG),
  /** From its ANKI_SUPERVISOR_* environment variable. */
  ENVIRONMENT("environment", ExitCode.CONFIG),
  /** From the --config file. */
  CONFIG_FILE("config file", ExitCode.CONFIG),
  /** The option's built-in default (or none); a bad one is our bug, reported as usage. */
  DEFAULT("default", ExitCode.USAGE);

  private final String label;
  private final ExitCode exitCode;

  SettingSource(String label, ExitCode exitCode) {
    this.label = label;
    this.exitCode = exitCode;
  }

  /** The label `config` prints. */
  String label() {
    return label;
  }

  /** The exit code of a bad value from here. */
  ExitCode exitCode() {
    return exitCode;
  }
}
