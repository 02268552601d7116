package dev.ankisupervisor.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the program of a child's argv the way exec does (a name with a slash as is, else each
 * folder of the child's PATH) and says why it cannot run. The launcher checks it before starting:
 * {@code setsid} execs the program only after the fork, so a missing or non-executable program
 * would otherwise look like a child that exits at once, and end as a crash loop instead of a
 * configuration error. Stateless; any thread.
 */
final class ProgramCheck {
  private ProgramCheck() {}

  /**
   * The program's path.
   *
   * @throws IOException naming the program, what is wrong and where it was looked for
   */
  static Path resolve(String program, Map<String, String> env) throws IOException {
    if (program.contains("/")) {
      Path p = Path.of(program);
      Optional<String> why = whyNotRunnable(p);
      if (why.isPresent()) {
        throw new IOException(program + " " + why.get());
      }
      return p;
    }
    String path = env.getOrDefault("PATH", "/bin:/usr/bin"); // execvp's default without PATH
    for (String folder : path.split(":")) {
      Path p = Path.of(folder.isEmpty() ? "." : folder).resolve(program);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p;
      }
    }
    throw new IOException(program + " is not found in the child's PATH (" + path + ")");
  }

  private static Optional<String> whyNotRunnable(Path p) {
    if (!Files.exists(p)) {
      return Optional.of("does not exist");
    }
    if (Files.isDirectory(p)) {
      return Optional.of("is a folder, not a program");
    }
    if (!Files.isExecutable(p)) {
      return Optional.of("is not executable by this user (chmod +x, or check its owner and the folders above it)");
    }
    return Optional.empty();
  }
}
