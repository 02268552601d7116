package dev.ankisupervisor.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds util-linux's {@code setsid} as an absolute path, so the launch never depends on what the
 * host happens to put on a service's PATH.
 *
 * <p>Why a program at all: Java cannot run code in the child between fork and exec, so the child
 * cannot call setsid(2) itself, and the pid the supervisor holds must be Anki's own (a helper that
 * forks would break signalling and reaping). {@code setsid} called by a non-leader execs without
 * forking.
 *
 * <p>Where: first the supervisor's own PATH (the Nix package's wrapper puts util-linux from its
 * closure there), then {@code /usr/bin} and {@code /bin}, where Debian's util-linux (an essential
 * package) always has it, whatever PATH the unit or the shell gave us. Stateless; any thread.
 */
final class SetsidProgram {
  static final String NAME = "setsid";
  /** Where distributions install util-linux's setsid, looked at after the supervisor's PATH. */
  static final List<Path> FIXED = List.of(Path.of("/usr/bin"), Path.of("/bin"));

  private SetsidProgram() {}

  /** setsid, found through the supervisor's own {@code PATH} and {@link #FIXED}. */
  static Path locate() throws IOException {
    return locate(System.getenv("PATH"), FIXED);
  }

  /**
   * The first executable {@code setsid} in the folders of {@code path} (relative folders skipped:
   * they depend on the working folder), then in {@code fixed}.
   *
   * @throws IOException naming every folder looked at and how to fix it
   */
  static Path locate(String path, List<Path> fixed) throws IOException {
    List<Path> folders = new ArrayList<>();
    if (path != null) {
      for (String f : path.split(":")) {
        if (f.startsWith("/")) {
          folders.add(Path.of(f));
        }
      }
    }
    folders.addAll(fixed);
    for (Path folder : folders) {
      Path p = folder.resolve(NAME);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p;
      }
    }
    throw new IOException(NAME + " (util-linux) is not found in " + folders.stream().distinct().map(Path::toString).toList()
        + "; install util-linux (Debian: apt-get install util-linux) or run through the Nix package's bin/anki-supervisor,"
        + " whose PATH holds it");
  }
}
