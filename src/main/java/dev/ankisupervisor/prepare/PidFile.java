package dev.ankisupervisor.prepare;

import dev.ankisupervisor.files.AtomicFile;
import dev.ankisupervisor.os.ProcFs;
import dev.ankisupervisor.os.ProcessIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pidfile of the supervised Anki: one line {@code "<pid> <startTicks>\n"} (start time from
 * /proc/PID/stat field 22), so a pid reused by another process after a reboot or a long downtime is
 * never taken for our Anki (when clearing stale holders or killing the old tree). Written atomically (temp, fsync, rename), mode 0644.
 *
 * <p>Stateless apart from the path; the supervisor's thread writes it after each launch and
 * deletes it after the tree is gone; {@link StaleHolderClearer} reads it before a launch.
 */
public final class PidFile {
  /** What a pidfile says. */
  public record Entry(long pid, long startTicks) {}

  private static final Logger LOG = LoggerFactory.getLogger(PidFile.class);

  private final Path path;

  public PidFile(Path path) {
    this.path = Objects.requireNonNull(path, "path");
  }

  public Path path() {
    return path;
  }

  /** Records {@code pid} and its start time ({@code RunningAnki.startTime()}). */
  public void write(long pid, long startTicks) throws IOException {
    Files.createDirectories(path.toAbsolutePath().getParent());
    AtomicFile.write(path, (pid + " " + startTicks + "\n").getBytes(StandardCharsets.US_ASCII), AtomicFile.MODE_0644);
  }

  /** What the file says; empty when it is missing or malformed (a malformed one is logged). */
  public Optional<Entry> read() throws IOException {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.US_ASCII).strip();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    String[] f = text.split("\\s+");
    try {
      if (f.length == 2) {
        return Optional.of(new Entry(Long.parseLong(f[0]), Long.parseLong(f[1])));
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    LOG.warn("ignoring pidfile {}: it says '{}', not '<pid> <start time>'", path, text.length() > 40 ? text.substring(0, 40) : text);
    return Optional.empty();
  }

  /**
   * The live process the file names, when it is the same one (pid AND start time); empty when the
   * file is missing, the pid is gone, or the pid now belongs to another process.
   */
  public Optional<ProcessIdentity> liveProcess() throws IOException {
    return liveProcess(ProcFs.system());
  }

  public Optional<ProcessIdentity> liveProcess(ProcFs proc) throws IOException {
    Optional<Entry> entry = read();
    if (entry.isEmpty()) {
      return Optional.empty();
    }
    Optional<ProcessIdentity> now = proc.identity(entry.get().pid());
    if (now.isPresent() && now.get().startTicks() != entry.get().startTicks()) {
      LOG.info("pidfile {} names pid {}, but that pid now belongs to another process (start time {} != {}): not ours",
          path, entry.get().pid(), now.get().startTicks(), entry.get().startTicks());
      return Optional.empty();
    }
    return now.filter(proc::isAlive);
  }

  /** Removes the file (no error when it is already gone). */
  public void delete() throws IOException {
    Files.deleteIfExists(path);
  }
}
