package dev.ankisupervisor.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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
    replace(target, bytes, mode, true);
  }

  private void replace(Path target, byte[] bytes, Set<PosixFilePermission> mode, boolean durable) throws IOException {
    Path abs = target.toAbsolutePath();
    Path temp = tempBeside(abs);
    try {
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        setMode(temp, mode); // before the content: a secret is never readable by others, not even briefly
        write.write(ch, ByteBuffer.wrap(bytes));
        if (durable) {
          ch.force(true);
        }
      }
      matchOwner(temp, Files.exists(abs, LinkOption.NOFOLLOW_LINKS) ? abs : abs.getParent());
      if (durable) {
        moveInto(temp, abs);
      } else {
        rename(temp, abs);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Writes with the real write: the common case. */
  public static void write(Path target, byte[] bytes, Set<PosixFilePermission> mode) throws IOException {
    new AtomicFile().replace(target, bytes, mode);
  }

  /**
   * Like {@link #write}, atomic for every reader while the machine runs, but without the two fsyncs
   * (file and folder), so after a power loss the file may be old, empty or gone. Only for a file whose
   * content means nothing after a reboot and whose readers check it: a pidfile (the process it names
   * is gone after a reboot, and it is read with pid AND start time, an empty or malformed one as
   * absent). Each fsync costs milliseconds on a real disk, on the way to Anki's spawn.
   */
  public static void writeForThisBoot(Path target, byte[] bytes, Set<PosixFilePermission> mode) throws IOException {
    new AtomicFile().replace(target, bytes, mode, false);
  }

  /** A fresh temp path beside {@code target}, hidden, named after it: {@code .<name>.tmp-<8 hex digits>}. */
  public static Path tempBeside(Path target) {
    return target.resolveSibling("." + target.getFileName() + ".tmp-" + UUID.randomUUID().toString().substring(0, 8));
  }

  /**
   * Creates the fresh, empty temp file {@code temp} with {@code mode} already set, before any byte
   * is in it (O_CREAT|O_EXCL: an existing file or link in its place is an error, never followed): a
   * secret written into it next is never readable by others, not even for a moment.
   */
  public static void createPrivate(Path temp, Set<PosixFilePermission> mode) throws IOException {
    try {
      Files.createFile(temp, PosixFilePermissions.asFileAttribute(mode));
    } catch (UnsupportedOperationException e) {
      Files.createFile(temp); // not a POSIX file system
    }
    setMode(temp, mode); // the umask may have taken bits the caller wants
  }

  /**
   * Removes temp files of ours that a crash (power loss, SIGKILL) left beside {@code target}: names
   * {@link #tempBeside} makes, with SQLite's {@code -journal}, {@code -wal} and {@code -shm} beside
   * them. They may hold a copy of a secret (prefs21.db's sync key). Call it only while no other
   * writer of {@code target} runs (under the folder's lock). Links are removed, never followed.
   *
   * @return the files removed
   */
  public static java.util.List<Path> removeLeftovers(Path target) throws IOException {
    Path abs = target.toAbsolutePath();
    Path folder = abs.getParent();
    java.util.List<Path> removed = new java.util.ArrayList<>();
    if (folder == null || !Files.isDirectory(folder)) {
      return removed;
    }
    java.util.regex.Pattern ours = java.util.regex.Pattern.compile(
        java.util.regex.Pattern.quote("." + abs.getFileName() + ".tmp-") + "[0-9a-f]{8}(-journal|-wal|-shm)?");
    try (java.nio.file.DirectoryStream<Path> ds = Files.newDirectoryStream(folder,
        p -> ours.matcher(p.getFileName().toString()).matches())) {
      for (Path p : ds) {
        if (Files.deleteIfExists(p)) {
          removed.add(p);
        }
      }
    }
    return removed;
  }

  /** Renames a finished, fsynced {@code temp} over {@code target} and fsyncs the folder. */
  public static void moveInto(Path temp, Path target) throws IOException {
    rename(temp, target);
    syncFolder(target.toAbsolutePath().getParent());
  }

  private static void rename(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("cannot rename " + temp + " over " + target + " atomically", e);
    }
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
      // never through a link: a link put in the target's place must not choose our file's owner
      PosixFileAttributes want = Files.readAttributes(model, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      PosixFileAttributes have = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class,
          LinkOption.NOFOLLOW_LINKS);
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
