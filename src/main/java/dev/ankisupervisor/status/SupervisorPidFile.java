package dev.ankisupervisor.status;

import dev.ankisupervisor.files.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The supervisor's OWN pidfile, {@code <state-dir>/supervisor.pid} (default
 * {@code /var/lib/anki/supervisor.pid}), which {@code sync-now} reads to find whom to send SIGUSR1.
 * {@code run} must {@link #write} it once started and {@link #delete} it on a clean stop; it is not
 * {@code anki.pid}, which names the Anki child. Stateless; any thread.
 */
public final class SupervisorPidFile {
  /** The file name inside the state folder. */
  public static final String NAME = "supervisor.pid";
  /** Where it is with the default state folder. */
  public static final Path DEFAULT = Path.of("/var/lib/anki").resolve(NAME);

  private SupervisorPidFile() {}

  public static Path in(Path stateDir) {
    return stateDir.resolve(NAME);
  }

  /** Writes this process's pid atomically (mode 0644). */
  public static void write(Path file, long pid) throws IOException {
    new AtomicFile().replace(file, (pid + "\n").getBytes(StandardCharsets.US_ASCII));
  }

  public static void delete(Path file) throws IOException {
    Files.deleteIfExists(file);
  }

  /** The pid in the file; empty when the file is missing or does not hold a number. */
  public static OptionalLong read(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
      return OptionalLong.of(Long.parseLong(text));
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** Whether {@code pid} is a live process, and its command line when readable. */
  public static Optional<String> liveCommandLine(long pid) {
    Optional<ProcessHandle> h = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (h.isEmpty()) {
      return Optional.empty();
    }
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      return Optional.of(new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip());
    } catch (IOException e) {
      return Optional.of(h.get().info().commandLine().orElse(""));
    }
  }

  /** Whether {@code pid} is alive (for the evaluator's stale check). */
  public static boolean isAlive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
