package dev.ankisupervisor.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One owner per folder: an exclusive POSIX record lock (fcntl, as {@link FileChannel#tryLock} takes
 * it) on {@code <folder>/.anki-supervisor.lock}, held until {@link #close} or the owner's death, when
 * the kernel drops it; a lock left by a {@code kill -9} therefore never blocks anyone. The file holds
 * the owner's pid and command, so a refused caller can name it. The file itself is never deleted
 * (deleting it would let a second owner lock a new file while the first still holds the old one).
 *
 * <p>fcntl locks belong to the process and are released when ANY descriptor of the file is closed
 * by it, so nothing else in the owner's JVM may open this file. Not inherited by children (Anki).
 * Thread-safe for {@link #close}; acquire once per folder per process.
 */
public final class FolderLock implements AutoCloseable {
  /** The lock file's name inside the owned folder. */
  public static final String FILE_NAME = ".anki-supervisor.lock";

  /** The folder is owned by another live process (or by this one, through another lock). */
  public static final class HeldException extends Exception {
    private final transient OptionalLong ownerPid;
    private final String owner;

    HeldException(Path file, OptionalLong ownerPid, String owner) {
      super(file + " is locked by " + owner);
      this.ownerPid = ownerPid;
      this.owner = owner;
    }

    /** The owner's pid, when its lock file names one. */
    public OptionalLong ownerPid() {
      return ownerPid;
    }

    /** "pid 1234 (anki-supervisor run)", or what is known. */
    public String owner() {
      return owner;
    }
  }

  /**
   * The lock file is a symbolic link, a hard link or not a regular file: opening it would write our pid
   * into whatever it names (any file the folder's other writers choose). Nothing was written.
   */
  public static final class UnsafeFileException extends IOException {
    UnsafeFileException(String message) {
      super(message);
    }
  }

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private FolderLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of {@code folder} (created if missing) without waiting.
   *
   * @param command what the owner does, written for a refused caller to read ("run", "prepare")
   * @throws HeldException when another process holds it
   * @throws IOException when the folder or lock file cannot be created or opened
   */
  public static FolderLock acquire(Path folder, String command) throws HeldException, IOException {
    Objects.requireNonNull(command, "command");
    Files.createDirectories(folder);
    Path file = folder.resolve(FILE_NAME);
    FileChannel channel = openOwn(file);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      // this JVM holds it already; closing our channel would drop that lock (fcntl), so keep it open
      throw new HeldException(file, OptionalLong.of(ProcessHandle.current().pid()), "this process");
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      String content = readOwner(channel);
      channel.close(); // this process holds no lock on the file, so closing drops nothing
      throw new HeldException(file, parsePid(content), describe(content));
    }
    try {
      byte[] owner = (ProcessHandle.current().pid() + " anki-supervisor " + command + "\n").getBytes(StandardCharsets.UTF_8);
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(owner), 0);
      // Not fsynced: the owner line is read only while a live process holds the lock, and no lock
      // outlives a reboot, so the line a reader sees was written in this boot (the page cache serves
      // it); after a power loss nobody holds the lock and the line is never read.
    } catch (IOException e) {
      lock.release();
      channel.close();
      throw e;
    }
    return new FolderLock(file, channel, lock);
  }

  /** The lock file. */
  public Path file() {
    return file;
  }

  /** Releases the lock (the file stays; its content is stale from now on and never trusted alone). */
  @Override
  public void close() throws IOException {
    try {
      if (lock.isValid()) {
        lock.release();
      }
    } finally {
      channel.close();
    }
  }

  /**
   * Opens (creating it if missing) the lock file without following a symbolic link (O_NOFOLLOW), and
   * only when it is a regular file with one name: a link or a FIFO put there by anyone who may write
   * the folder is refused before a byte is written.
   */
  private static FileChannel openOwn(Path file) throws IOException {
    String fix = "; remove it (rm " + file + "); the supervisor creates its own lock file there";
    if (Files.isSymbolicLink(file)) {
      throw new UnsafeFileException(file + " is a symbolic link (to " + Files.readSymbolicLink(file) + "), not our lock"
          + " file; refusing to write through it" + fix);
    }
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new UnsafeFileException(file + " is not a regular file; refusing to open it" + fix);
    }
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
          LinkOption.NOFOLLOW_LINKS);
    } catch (FileSystemException e) {
      if (Files.isSymbolicLink(file)) { // made between the look and the open: O_NOFOLLOW refused it (ELOOP)
        throw new UnsafeFileException(file + " is a symbolic link, not our lock file; refusing to write through it" + fix);
      }
      throw e;
    }
    try {
      Object links = Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
      if (links instanceof Integer n && n > 1) {
        throw new UnsafeFileException(file + " has " + n + " names (a hard link to another file); refusing to write"
            + " into it" + fix);
      }
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      // no unix attributes here: the O_NOFOLLOW open is what we have
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    return channel;
  }

  private static String readOwner(FileChannel channel) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(256);
    channel.read(buf, 0);
    buf.flip();
    return StandardCharsets.UTF_8.decode(buf).toString().strip();
  }

  private static OptionalLong parsePid(String content) {
    String first = content.split("\\s+", 2)[0];
    return first.matches("\\d{1,10}") ? OptionalLong.of(Long.parseLong(first)) : OptionalLong.empty();
  }

  private static String describe(String content) {
    OptionalLong pid = parsePid(content);
    if (pid.isEmpty()) {
      return "a process that has not written its pid yet";
    }
    String rest = content.substring(content.indexOf(' ') < 0 ? content.length() : content.indexOf(' ')).strip();
    return "pid " + pid.getAsLong() + (rest.isEmpty() ? "" : " (" + rest.replaceAll("\\p{Cntrl}", "?") + ")");
  }
}
