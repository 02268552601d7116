package dev.ankisupervisor.status;

import dev.ankisupervisor.files.AtomicFile;
import dev.ankisupervisor.statusfile.StatusDocument;
import dev.ankisupervisor.statusfile.StatusJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes sync-status.json atomically ({@link AtomicFile}). A failed write (disk full, folder gone)
 * keeps the previous file whole, is logged and returned as {@code false}: it never throws into the
 * supervisor. Thread-safe: writes are serialised.
 */
public final class StatusWriter {
  private static final Logger LOG = LoggerFactory.getLogger(StatusWriter.class);

  private final Path file;
  private final AtomicFile atomic;
  /** The last failure's message; null after a success. */
  private volatile String lastFailure;

  public StatusWriter(Path file) {
    this(file, new AtomicFile());
  }

  public StatusWriter(Path file, AtomicFile atomic) {
    this.file = Objects.requireNonNull(file, "file");
    this.atomic = Objects.requireNonNull(atomic, "atomic");
  }

  public Path file() {
    return file;
  }

  /** Writes {@code doc}; false (and logged) when it could not, the old file then stays. */
  public synchronized boolean write(StatusDocument doc) {
    try {
      Path folder = file.toAbsolutePath().getParent();
      if (!Files.isDirectory(folder)) {
        // Deleted while we run (a careless cleanup): ours to recreate, or status stays stale forever.
        Files.createDirectories(folder);
        LOG.warn("the status file's folder {} was gone; created it again", folder);
      }
      atomic.replace(file, StatusJson.toBytes(doc));
      if (lastFailure != null) {
        LOG.info("status file {} written again after an earlier failure", file);
      }
      lastFailure = null;
      return true;
    } catch (IOException | RuntimeException e) {
      String msg = "cannot write the status file " + file + " (" + e.getClass().getSimpleName() + ": "
          + e.getMessage() + "); the previous file stays as it was; free space in its folder or fix --status-file";
      if (!msg.equals(lastFailure)) {
        LOG.error(msg);
      }
      lastFailure = msg;
      return false;
    }
  }

  /** The last write's failure, if it failed. */
  public Optional<String> lastFailure() {
    return Optional.ofNullable(lastFailure);
  }
}
