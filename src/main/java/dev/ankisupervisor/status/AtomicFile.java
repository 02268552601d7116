package dev.ankisupervisor.status;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a file's content atomically: a temp file in the same folder, write, fsync, chmod 0644,
 * rename over the target, fsync the folder. A reader sees the old file or the new one, never a
 * part; a failure (disk full) leaves the old file whole and no temp file behind. Stateless apart
 * from the write seam; any thread, but two writers of one target must not race (last rename wins).
 */
public final class AtomicFile {
  /** Writes bytes into the open temp file: the seam a test uses to fail like a full disk. */
  @FunctionalInterface
  public interface ChannelWrite {
    void write(FileChannel channel, ByteBuffer bytes) throws IOException;
  }

  /** The real write: loops until every byte is written. */
  public static final ChannelWrite FULL_WRITE = (ch, b) -> {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  };

  private final ChannelWrite write;

  public AtomicFile() {
    this(FULL_WRITE);
  }

  public AtomicFile(ChannelWrite write) {
    this.write = Objects.requireNonNull(write, "write");
  }

  /** Replaces {@code target}'s content with {@code bytes}; on failure the old file stays. */
  public void replace(Path target, byte[] bytes) throws IOException {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    Path tmp = dir.resolve("." + abs.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
        + ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        write.write(ch, ByteBuffer.wrap(bytes));
        ch.force(true);
      }
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: keep the default mode
      }
      Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true); // the rename itself is durable only once the folder is synced
    } catch (IOException e) {
      // some file systems refuse to open or sync a folder; the rename has happened anyway
    }
  }
}
