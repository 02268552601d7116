package dev.ankisupervisor.commands;

import picocli.CommandLine;

/** Reads the version from the jar's manifest (set by Maven), "dev" when run from classes. */
final class VersionProvider implements CommandLine.IVersionProvider {
  static String version() {
    String v = VersionProvider.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  @Override
  public String[] getVersion() {
    return new String[] {"anki-supervisor " + version(), "Java " + Runtime.version()};
  }
}
