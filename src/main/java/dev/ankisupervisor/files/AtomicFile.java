package dev.ankisupervisor.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Replaces a file's content atomically: a temp file in the same folder, write, fsync, chmod,
 * rename over the target, fsync the folder. A reader sees the old file or the new one, never a
 * part; a failure (disk full) leaves the old file whole and no temp file behind. Used for
 * prefs21.db, meta.json, gldriver6, pidfiles, the status and metrics files and last-backup.json.
 *
 * <p>Stateless apart from the write seam; any thread, but two writers of one target must not race
 * (the last rename wins).
 */
public final class AtomicFile {
  public static final Set<PosixFilePermission> MODE_0644 = PosixFilePermissions.fromString("rw-r--r--");
  public static final Set<PosixFilePermission> MODE_0600 = PosixFilePermissions.fromString("rw-------");

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

  /** Replaces {@code target}'s content with {@code bytes}, mode 0644; on failure the old file stays. */
  public void replace(Path target, byte[] bytes) throws IOException {
    replace(target, bytes, MODE_0644);
  }

  /**
   * Replaces {@code target}'s content with {@code bytes} and gives it {@code mode} and the owner of
   * the file it replaces (or of its folder); on failure the old file stays.
   */
  public void replace(Path target, byte[] bytes, Set<PosixFilePermission> mode) throws IOException {
    Path abs = target.toAbsolutePath();
    Path temp = tempBeside(abs);
    try {
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        setMode(temp, mode); // before the content: a secret is never readable by others, not even briefly
        write.write(ch, ByteBuffer.wrap(bytes));
        ch.force(true);
      }
      matchOwner(temp, Files.exists(abs) ? abs : abs.getParent());
      moveInto(temp, abs);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Writes with the real write: the common case. */
  public static void write(Path target, byte[] bytes, Set<PosixFilePermission> mode) throws IOException {
    new AtomicFile().replace(target, bytes, mode);
  }

  /** A fresh temp path beside {@code target}, hidden, named after it. */
  public static Path tempBeside(Path target) {
    return target.resolveSibling("." + target.getFileName() + ".tmp-" + UUID.randomUUID().toString().substring(0, 8));
  }

  /** Renames a finished, fsynced {@code temp} over {@code target} and fsyncs the folder. */
  public static void moveInto(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("cannot rename " + temp + " over " + target + " atomically", e);
    }
    syncFolder(target.toAbsolutePath().getParent());
  }

  /** fsyncs a folder so a rename in it survives a crash; a file system that refuses is tolerated. */
  public static void syncFolder(Path folder) {
    try (FileChannel ch = FileChannel.open(folder, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // some file systems refuse to open or sync a folder; the rename has happened anyway
    }
  }

  /** fsyncs one file. */
  public static void syncFile(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  /**
   * Gives {@code file} the owner and group of {@code model} (the file it replaces, or its folder), so
   * a supervisor run as root never leaves root-owned files in the Anki user's base. Does nothing
   * when they already match or when we may not chown.
   */
  public static void matchOwner(Path file, Path model) {
    try {
      PosixFileAttributes want = Files.readAttributes(model, PosixFileAttributes.class);
      PosixFileAttributes have = Files.readAttributes(file, PosixFileAttributes.class);
      PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
      if (!want.owner().equals(have.owner())) {
        view.setOwner(want.owner());
      }
      if (!want.group().equals(have.group())) {
        view.setGroup(want.group());
      }
    } catch (IOException | UnsupportedOperationException e) {
      // not root: the file is ours, which is what the caller runs as
    }
  }

  private static void setMode(Path file, Set<PosixFilePermission> mode) throws IOException {
    try {
      Files.setPosixFilePermissions(file, mode);
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: keep the default mode
    }
  }
}
