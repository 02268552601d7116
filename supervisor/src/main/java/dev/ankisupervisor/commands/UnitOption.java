package dev.ankisupervisor.commands;

import picocli.CommandLine.Option;

/**
 * {@code --unit NAME}: take the settings of a systemd unit (its ExecStart flags, Environment= and
 * EnvironmentFile=, as {@code systemctl show} reports them) as this command's environment, so it
 * sees what the service sees. Read by {@link SettingsDefaults#load} before parsing; this field only
 * makes picocli accept the flag. A picocli mixin.
 */
final class UnitOption {
  static final String FLAG = "--unit";

  @Option(names = FLAG, paramLabel = "NAME",
      description = "Use the settings of this systemd unit (its ExecStart flags, Environment= and EnvironmentFile=,"
          + " credentials by their LoadCredential= source), e.g. anki-connect or anki-connect@alice. Flags given here"
          + " still win.")
  String name;
}
