package dev.ankisupervisor.commands;

import picocli.CommandLine;

/** {@code --version}: the jar's version ({@link JarVersion}) and the Java running it. */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"anki-supervisor " + JarVersion.of(), "Java " + Runtime.version()};
  }
}
