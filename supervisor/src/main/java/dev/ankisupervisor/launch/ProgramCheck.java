package dev.ankisupervisor.launch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the program of a child's argv the way exec does (a name with a slash as is, else each
 * folder of the child's PATH) and says why the kernel could not execute it: missing, a folder, not
 * executable, a script whose {@code #!} interpreter is missing or not executable (a broken
 * virtualenv), or a file that is neither a program (ELF) nor a script. The launcher checks it before
 * starting: {@code setsid} execs the program only after the fork, so such a program would otherwise
 * look like a child that exits at once (126/127) at every launch, and end as a crash loop instead of
 * a configuration error. Stateless; any thread.
 */
final class ProgramCheck {
  /** How many {@code #!} interpreters may chain (Linux allows 4 levels of interpreter scripts). */
  private static final int MAX_INTERPRETERS = 4;
  private static final byte[] ELF = {0x7f, 'E', 'L', 'F'};

  private ProgramCheck() {}

  /**
   * The program's path.
   *
   * @throws IOException naming the program, what is wrong and where it was looked for
   */
  static Path resolve(String program, Map<String, String> env) throws IOException {
    Path found = find(program, env);
    Optional<String> why = whyNotRunnable(found, env, 0);
    if (why.isPresent()) {
      throw new IOException(program + " " + why.get());
    }
    return found;
  }

  private static Path find(String program, Map<String, String> env) throws IOException {
    if (program.contains("/")) {
      return Path.of(program);
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

  private static Optional<String> whyNotRunnable(Path p, Map<String, String> env, int depth) {
    if (!Files.exists(p)) {
      return Optional.of("does not exist");
    }
    if (Files.isDirectory(p)) {
      return Optional.of("is a folder, not a program");
    }
    if (!Files.isExecutable(p)) {
      return Optional.of("is not executable by this user (chmod +x, or check its owner and the folders above it)");
    }
    if (!Files.isRegularFile(p)) {
      return Optional.of("is not a regular file");
    }
    byte[] head;
    try (InputStream in = Files.newInputStream(p)) {
      head = in.readNBytes(256);
    } catch (IOException e) {
      return Optional.empty(); // executable but not readable (mode 0711): only the kernel may look; let it
    }
    if (startsWith(head, ELF)) {
      return Optional.empty();
    }
    if (head.length < 2 || head[0] != '#' || head[1] != '!') {
      return Optional.of("is neither a program nor a script starting with #! (the kernel cannot execute it;"
          + " a script needs a first line such as #!/usr/bin/env python3)");
    }
    String line = new String(head, 2, head.length - 2, StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
    String[] words = line.isEmpty() ? new String[0] : line.split("[ \t]+", 2);
    if (words.length == 0) {
      return Optional.of("has an empty #! line: no interpreter to run it");
    }
    Path interpreter = Path.of(words[0]);
    if (depth >= MAX_INTERPRETERS) {
      return Optional.of("starts a chain of more than " + MAX_INTERPRETERS + " #! interpreters");
    }
    Optional<String> why = whyNotRunnable(interpreter, env, depth + 1);
    if (why.isPresent()) {
      return Optional.of("is a script whose interpreter " + interpreter + " " + why.get()
          + " (named by its #! line; a broken virtualenv?)");
    }
    if (interpreter.getFileName() != null && interpreter.getFileName().toString().equals("env") && words.length == 2) {
      String program = words[1].strip().split("[ \t]+")[0];
      if (!program.startsWith("-")) {
        try {
          Path found = find(program, env);
          Optional<String> inner = whyNotRunnable(found, env, depth + 1);
          if (inner.isPresent()) {
            return Optional.of("is a script whose interpreter " + found + " " + inner.get() + " (named by its #! line)");
          }
        } catch (IOException e) {
          return Optional.of("is a script whose interpreter (#!" + line + ") cannot be found: " + e.getMessage());
        }
      }
    }
    return Optional.empty();
  }

  private static boolean startsWith(byte[] data, byte[] prefix) {
    if (data.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (data[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
