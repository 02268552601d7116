package dev.ankisupervisor.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads {@code /proc/locks} to find who holds a lock on a file (C7) without touching the file: a
 * probe that takes the lock itself would make an Anki starting at that moment fail at once.
 *
 * <p>Line format (fs/locks.c): {@code "1: POSIX  ADVISORY  WRITE 8075 fe:00:2147144 0 EOF"}, where
 * the device is MAJOR:MINOR in hex (%02x) and the inode in decimal; waiting requests carry a
 * {@code ->} and are skipped. A file's device comes from {@code unix:dev} (glibc's st_dev encoding,
 * decoded by {@link #major}/{@link #minor}).
 *
 * <p>Stateless apart from the path; safe from any thread.
 */
public final class LockTable {
  /** One granted lock. {@code pid} is -1 for OFD locks, whose owner the kernel does not print. */
  public record Lock(String type, boolean write, long pid, long major, long minor, long inode) {}

  private final Path locksFile;

  public LockTable(Path locksFile) {
    this.locksFile = locksFile;
  }

  public static LockTable system() {
    return new LockTable(Path.of("/proc/locks"));
  }

  /** Every granted lock now listed. */
  public List<Lock> read() throws IOException {
    return parse(Files.readString(locksFile, StandardCharsets.US_ASCII));
  }

  /** The locks on {@code file} (empty when the file does not exist or nobody locks it). */
  public List<Lock> holdersOf(Path file) throws IOException {
    return holdersOf(file, null);
  }

  /**
   * The locks on {@code file} in {@code table} (a {@link #read} made moments ago), or in the table
   * read now when {@code table} is null. A read of /proc/locks after a quiet spell waits 5-20 ms in the
   * kernel (it takes the lock table's rwsem for writing, which waits for an RCU grace period; measured
   * on the 2-core machine), so one read serves several files.
   */
  public List<Lock> holdersOf(Path file, List<Lock> table) throws IOException {
    long dev;
    long ino;
    try {
      dev = ((Number) Files.getAttribute(file, "unix:dev")).longValue();
      ino = ((Number) Files.getAttribute(file, "unix:ino")).longValue();
    } catch (NoSuchFileException e) {
      return List.of();
    }
    List<Lock> on = new ArrayList<>();
    for (Lock l : table != null ? table : read()) {
      if (l.inode() == ino && l.major() == major(dev) && l.minor() == minor(dev)) {
        on.add(l);
      }
    }
    return on;
  }

  static List<Lock> parse(String text) {
    List<Lock> locks = new ArrayList<>();
    for (String line : text.split("\n")) {
      parseLine(line).ifPresent(locks::add);
    }
    return locks;
  }

  private static Optional<Lock> parseLine(String line) {
    String[] f = line.trim().split("\\s+");
    // [0] "1:", [1] type, [2] ADVISORY, [3] READ/WRITE, [4] pid, [5] maj:min:ino, [6] start, [7] end
    if (f.length < 6 || f[1].equals("->")) {
      return Optional.empty();
    }
    String[] dev = f[5].split(":");
    if (dev.length != 3 || dev[0].startsWith("<")) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Lock(f[1], f[3].equals("WRITE"), Long.parseLong(f[4]),
          Long.parseLong(dev[0], 16), Long.parseLong(dev[1], 16), Long.parseLong(dev[2])));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** glibc's gnu_dev_major for an st_dev value. */
  static long major(long dev) {
    return ((dev >>> 8) & 0xfffL) | ((dev >>> 32) & 0xfffff000L);
  }

  /** glibc's gnu_dev_minor for an st_dev value. */
  static long minor(long dev) {
    return (dev & 0xffL) | ((dev >>> 12) & 0xffffff00L);
  }
}
