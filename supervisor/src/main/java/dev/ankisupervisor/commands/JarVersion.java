package dev.ankisupervisor.commands;

/**
 * The supervisor's version: the jar manifest's Implementation-Version (set by Maven), "dev" when run
 * from classes. Apart from picocli's {@link VersionProvider}, so {@code run}'s status file gets it
 * without loading picocli. Stateless.
 */
final class JarVersion {
  private JarVersion() {}

  static String of() {
    String v = JarVersion.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
