package dev.ankisupervisor.files;

import dev.ankisupervisor.os.ProcFs;
import dev.ankisupervisor.os.ProcessIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pidfile: one line {@code "<pid> <startTicks>\n"}, the start time being field 22 of
 * /proc/PID/stat, so a pid reused by another process after a crash, a reboot or a long downtime is
 * never taken for the process that wrote it ({@link ProcessIdentity}). The one format and class of
 * both {@code <state-dir>/anki.pid} (the supervised Anki, read before clearing stale holders) and
 * {@code <state-dir>/supervisor.pid} (the supervisor, read by {@code sync-now} before SIGUSR1).
 * Written atomically ({@link AtomicFile}: temp, rename, no fsync (see {@link #write}); a link in its
 * place is replaced, never followed), mode 0644; read with a 4 KiB cap (a FIFO or device is refused, not read).
 *
 * <p>Stateless apart from the path; any thread.
 */
public final class PidFile {
  /** A pidfile is one short line; anything longer is not one. */
  static final int MAX_BYTES = 4096;

  private static final Logger LOG = LoggerFactory.getLogger(PidFile.class);

  /**
   * What a pidfile says.
   *
   * @param pid the pid
   * @param startTicks its start time; empty in a file without one (older versions wrote a bare pid),
   *     which therefore proves nothing
   */
  public record Entry(long pid, OptionalLong startTicks) {
    /** The process the file names, when it records a start time. */
    public Optional<ProcessIdentity> identity() {
      return startTicks.isPresent() ? Optional.of(ProcessIdentity.recorded(pid, startTicks.getAsLong())) : Optional.empty();
    }
  }

  private final Path path;

  public PidFile(Path path) {
    this.path = Objects.requireNonNull(path, "path");
  }

  public Path path() {
    return path;
  }

  /**
   * Records {@code p} (pid and start time), creating the folder if it is gone. Not fsynced
   * ({@link AtomicFile#writeForThisBoot}): after a crash of the machine no process it could name
   * runs, and every reader checks pid AND start time and takes an empty or malformed file for none.
   */
  public void write(ProcessIdentity p) throws IOException {
    Files.createDirectories(path.toAbsolutePath().getParent());
    AtomicFile.writeForThisBoot(path, (p.pid() + " " + p.startTicks() + "\n").getBytes(StandardCharsets.US_ASCII),
        AtomicFile.MODE_0644);
  }

  /**
   * What the file says; empty when it is missing or does not start with a pid (a malformed file is
   * logged).
   *
   * @throws IOException when it exists but cannot be read (permissions, not a regular file, too large)
   */
  public Optional<Entry> read() throws IOException {
    String text;
    try {
      text = TextFile.read(path, MAX_BYTES).strip();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    String[] f = text.split("\\s+");
    try {
      long pid = Long.parseLong(f[0]);
      if (pid >= 1 && f.length <= 2) {
        return Optional.of(new Entry(pid, f.length == 2 ? OptionalLong.of(Long.parseLong(f[1])) : OptionalLong.empty()));
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    LOG.warn("ignoring pidfile {}: it says '{}', not '<pid> <start time>'", path,
        (text.length() > 40 ? text.substring(0, 40) : text).replaceAll("\\p{Cntrl}", "?"));
    return Optional.empty();
  }

  /**
   * The live process the file names, when it is the same one (pid AND start time, not a zombie);
   * empty when the file is missing or names no start time, the pid is gone, or the pid now belongs to
   * another process.
   */
  public Optional<ProcessIdentity> liveProcess() throws IOException {
    return liveProcess(ProcFs.system());
  }

  public Optional<ProcessIdentity> liveProcess(ProcFs proc) throws IOException {
    Optional<ProcessIdentity> recorded = read().flatMap(Entry::identity);
    if (recorded.isEmpty()) {
      return Optional.empty();
    }
    if (proc.isReused(recorded.get())) {
      LOG.info("pidfile {} names pid {}, but that pid now belongs to another process (another start time): not ours",
          path, recorded.get().pid());
      return Optional.empty();
    }
    return proc.isAlive(recorded.get()) ? proc.identity(recorded.get().pid()) : Optional.empty();
  }

  /** Removes the file (no error when it is already gone). */
  public void delete() throws IOException {
    Files.deleteIfExists(path);
  }
}
