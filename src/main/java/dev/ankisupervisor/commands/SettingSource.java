package dev.ankisupervisor.commands;

/**
 * Where a setting's value came from, which decides the exit code of a bad value: a flag is the
 * caller's usage (64), the environment or the config file is the deployment's configuration (78),
 * so systemd's {@code RestartPreventExitStatus=64 78} stops both and the message says which to fix.
 */
enum SettingSource {
  COMMAND_LINE(ExitCode.USAGE),
  ENVIRONMENT(ExitCode.CONFIG),
  CONFIG_FILE(ExitCode.CONFIG),
  /** The annotation's default: a bad one is our bug, reported as usage. */
  DEFAULT(ExitCode.USAGE);

  private final ExitCode exitCode;

  SettingSource(ExitCode exitCode) {
    this.exitCode = exitCode;
  }

  ExitCode exitCode() {
    return exitCode;
  }
}
