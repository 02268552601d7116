package dev.ankisupervisor.config;

import java.nio.file.Path;

/**
 * Makes a path setting absolute against the folder the supervisor was started in, once, where the
 * settings records are built, whatever the setting came from (flag, environment, config file).
 * Anki runs in its base folder, not in ours: a relative {@code -b}, TMPDIR or program handed to it
 * as given would name another place there. "." parts are dropped; ".." parts are kept, as after a
 * link they need not mean the parent. Stateless; any thread.
 */
public final class StartFolder {
  private StartFolder() {}

  /** {@code path} as an absolute path; an absolute one unchanged but for "." parts. */
  public static Path resolve(Path path) {
    Path abs = path.toAbsolutePath();
    Path out = abs.getRoot();
    for (Path part : abs) {
      if (!part.toString().equals(".")) {
        out = out.resolve(part);
      }
    }
    return out;
  }

  /**
   * A program word made absolute when it is a relative path (it has a slash); a bare name is left
   * for the PATH to find, as exec does.
   */
  public static String resolveProgram(String program) {
    return program.contains("/") && !program.startsWith("/") ? resolve(Path.of(program)).toString() : program;
  }
}
