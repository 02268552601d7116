package dev.ankisupervisor.prepare;

import dev.ankisupervisor.config.AnkiSettings;
import dev.ankisupervisor.os.ProcessIdentity;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a process holding Anki's files is "an Anki of ours or of a previous run" (when
 * clearing stale holders): the pidfile's very process (pid and start time), or a process whose command line passes
 * {@code -b <this base>} and, among the words before {@code -b}, names the configured Anki command
 * (its last word, or a word whose file name contains the command's file name, e.g.
 * {@code .anki-wrapped} for {@code anki}). The base folder identifies the instance (C1); the
 * command check keeps a tool that merely takes a {@code -b} flag from being signalled.
 *
 * <p>Pure function; any thread.
 */
final class AnkiOwnership {
  private AnkiOwnership() {}

  /** The rule in the class comment. */
  static boolean isOurs(ProcessIdentity p, AnkiSettings anki, Optional<ProcessIdentity> previous) {
    if (previous.isPresent() && previous.get().isSameProcess(p)) {
      return true;
    }
    List<String> argv = p.cmdline();
    boolean baseMatches = false;
    int baseAt = argv.size();
    for (int i = 0; i < argv.size(); i++) {
      String a = argv.get(i);
      String value = null;
      if ((a.equals("-b") || a.equals("--base")) && i + 1 < argv.size()) {
        value = argv.get(i + 1);
      } else if (a.startsWith("--base=")) {
        value = a.substring(7);
      }
      if (value != null && samePath(value, anki.base())) {
        baseMatches = true;
        baseAt = Math.min(baseAt, i);
      }
    }
    if (!baseMatches) {
      return false;
    }
    List<String> command = anki.command();
    String last = command.get(command.size() - 1);
    String name = Path.of(command.get(0)).getFileName().toString();
    // only the words before -b name the program (the base path itself may well end in "anki")
    List<String> program = argv.subList(0, baseAt);
    return program.contains(last) || program.stream().anyMatch(a -> !a.startsWith("-") && fileName(a).contains(name));
  }

  private static boolean samePath(String value, Path base) {
    try {
      return Path.of(value).toAbsolutePath().normalize().equals(base.toAbsolutePath().normalize());
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static String fileName(String arg) {
    int slash = arg.lastIndexOf('/');
    return slash >= 0 ? arg.substring(slash + 1) : arg;
  }

}
