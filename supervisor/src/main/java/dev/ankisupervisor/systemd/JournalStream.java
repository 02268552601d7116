package dev.ankisupervisor.systemd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Tells whether our stdout is connected to the journal: systemd sets {@code JOURNAL_STREAM} to the
 * {@code device:inode} of the stream it gave us, and it matches fd 1 only while stdout was not
 * redirected elsewhere (systemd.exec(5), "JOURNAL_STREAM").
 *
 * <p>Threading: pure functions; call from any thread.
 */
public final class JournalStream {
  private static final Path STDOUT = Path.of("/proc/self/fd/1");
  private static final Path STDERR = Path.of("/proc/self/fd/2");

  private JournalStream() {}

  /** Whether {@code env}'s JOURNAL_STREAM names this process's stderr (a unit's stderr is its stdout's stream). */
  public static boolean isStderrJournal(Map<String, String> env) {
    return matches(env.get("JOURNAL_STREAM"), STDERR);
  }

  /** Whether {@code env}'s JOURNAL_STREAM names this process's stdout. */
  public static boolean isStdoutJournal(Map<String, String> env) {
    return matches(env.get("JOURNAL_STREAM"), STDOUT);
  }

  /** Whether {@code journalStream} ("dev:ino", decimal) names the file that {@code fd} refers to. */
  static boolean matches(String journalStream, Path fd) {
    if (journalStream == null || journalStream.isBlank()) {
      return false;
    }
    String[] parts = journalStream.strip().split(":");
    if (parts.length != 2) {
      return false;
    }
    try {
      long dev = Long.parseLong(parts[0]);
      long ino = Long.parseLong(parts[1]);
      Object actualDev = Files.getAttribute(fd, "unix:dev");
      Object actualIno = Files.getAttribute(fd, "unix:ino");
      return actualDev instanceof Long d && actualIno instanceof Long i && d == dev && i == ino;
    } catch (NumberFormatException | IOException | UnsupportedOperationException e) {
      return false;
    }
  }
}
