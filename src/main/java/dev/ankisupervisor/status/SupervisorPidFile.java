package dev.ankisupervisor.status;

import dev.ankisupervisor.config.StateFiles;
import dev.ankisupervisor.files.AtomicFile;
import dev.ankisupervisor.files.TextFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The supervisor's OWN pidfile, {@code <state-dir>/supervisor.pid} (default
 * {@code /var/lib/anki/supervisor.pid}), which {@code sync-now} reads to find whom to send SIGUSR1.
 * One line {@code "<pid> <startTicks>\n"}, the start time being field 22 of /proc/PID/stat, as in
 * Anki's pidfile: a pid alone is no identity, it is reused after a crash. {@code run} must
 * {@link #write} it once started and {@link #delete} it on a clean stop; it is not {@code anki.pid},
 * which names the Anki child. Stateless; any thread.
 */
public final class SupervisorPidFile {
  /** The file name inside the state folder. */
  public static final String NAME = StateFiles.SUPERVISOR_PID;
  /** Where it is with the default state folder. */
  public static final Path DEFAULT = Path.of(StateFiles.DEFAULT_SUPERVISOR_PID_FILE);

  /**
   * What the file says.
   *
   * @param pid the supervisor's pid
   * @param startTicks its start time (clock ticks after boot); empty in a file without one, which
   *     therefore proves nothing
   */
  public record Entry(long pid, OptionalLong startTicks) {}

  private SupervisorPidFile() {}

  public static Path in(Path stateDir) {
    return stateDir.resolve(NAME);
  }

  /** Writes pid and start time atomically (mode 0644), creating the folder if it is gone. */
  public static void write(Path file, long pid, long startTicks) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    new AtomicFile().replace(file, (pid + " " + startTicks + "\n").getBytes(StandardCharsets.US_ASCII));
  }

  public static void delete(Path file) throws IOException {
    Files.deleteIfExists(file);
  }

  /** What the file says; empty when it is missing or does not start with a pid. */
  public static Optional<Entry> read(Path file) {
    try {
      String[] f = TextFile.read(file, 4096).strip().split("\\s+");
      long pid = Long.parseLong(f[0]);
      if (pid < 1) {
        return Optional.empty();
      }
      return Optional.of(new Entry(pid, f.length == 2 ? OptionalLong.of(Long.parseLong(f[1])) : OptionalLong.empty()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Whether {@code pid} is alive (for the evaluator's stale check). */
  public static boolean isAlive(long pid) {
    return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
