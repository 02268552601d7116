package dev.ankisupervisor.backup;

import dev.ankisupervisor.os.Sleeper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * Copies one file, reading the source only (never opening it as a database), with the source's
 * mode from its creation on (never more open than the source, whatever the umask) and its
 * modification time, hashing every byte copied (SHA-256); or hard-links an unchanged file to the
 * previous backup. Never fsyncs a file: the backup makes its whole destination durable at once
 * before it renames it complete ({@link FileSystemSync}). Counts what it did. Thread-safe: the
 * media are copied by several threads. The only class of the package that sleeps (a test's pause after
 * each file, {@link Backup}'s constructor).
 */
final class FileCopier {
  /** What was copied: the source's size and mtime when read, and the SHA-256 of the bytes copied. */
  record Fingerprint(long size, FileTime modified, String sha256) {}

  private static final int BUFFER = 1 << 20;
  /** From this size on (the databases) the hashing runs beside the reads and writes, on a thread of its own. */
  static final long HASH_ASIDE_FROM = 8L << 20;
  private static final ThreadLocal<ByteBuffer> BUFFERS = ThreadLocal.withInitial(() -> ByteBuffer.allocate(BUFFER));

  /** A pause after each file: zero, except for tests that interrupt a copy on purpose. */
  private final Duration delay;
  private final BackupProgress progress;
  private final LongAdder bytesCopied = new LongAdder();
  private final LongAdder bytesLinked = new LongAdder();
  private final LongAdder filesLinked = new LongAdder();
  private final LongAdder files = new LongAdder();
  private volatile Set<PosixFilePermission> umaskKeeps;

  FileCopier(Duration delay, BackupProgress progress) {
    this.delay = delay;
    this.progress = progress;
  }

  /**
   * Copies {@code src} to {@code dst} (replacing it); empty when {@code src} does not exist. The
   * fingerprint's size and mtime are those read before the copy.
   */
  Optional<Fingerprint> copy(Path src, Path dst) throws IOException {
    PosixFileAttributes before;
    try {
      before = SourceTree.attributes(src);
    } catch (NoSuchFileException e) {
      Files.deleteIfExists(dst);
      return Optional.empty();
    }
    Files.deleteIfExists(dst);
    return Optional.of(copy(src, dst, before.lastModifiedTime(), before.permissions()));
  }

  /**
   * Copies a file the walk has seen to {@code dst}, which must not exist, with the mtime and mode it
   * saw. Per file: two opens, the reads and writes, one open to set the time; no stat.
   */
  Fingerprint copy(Path src, Path dst, FileTime modified, Set<PosixFilePermission> mode) throws IOException {
    MessageDigest sha = sha256();
    long n;
    try (FileChannel in = FileChannel.open(src, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        FileChannel out = FileChannel.open(dst, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            PosixFilePermissions.asFileAttribute(mode))) {
      n = in.size() >= HASH_ASIDE_FROM ? HashAside.copy(in, out, sha, progress) : copyInline(in, out, sha);
    }
    if (!umaskKeeps().containsAll(mode)) {
      Files.setPosixFilePermissions(dst, mode); // the umask took bits the source has
    }
    // Both times given: the JDK then needs no stat to keep the other one.
    Files.getFileAttributeView(dst, BasicFileAttributeView.class).setTimes(modified, modified, null);
    files.increment();
    bytesCopied.add(n);
    progress.file();
    pause();
    return new Fingerprint(n, modified, HexFormat.of().formatHex(sha.digest()));
  }

  private long copyInline(FileChannel in, FileChannel out, MessageDigest sha) throws IOException {
    long n = 0;
    ByteBuffer buf = BUFFERS.get();
    while (true) {
      buf.clear();
      int r = in.read(buf);
      if (r < 0) {
        return n;
      }
      sha.update(buf.array(), 0, r);
      buf.flip();
      while (buf.hasRemaining()) {
        out.write(buf);
      }
      n += r;
      progress.bytes(r);
    }
  }

  /**
   * Hard-links {@code dst} to {@code previous} when that holds the same file (same size,
   * modification time and mode as the walk saw in the source; copies keep the source's mtime and
   * mode), else copies.
   */
  void linkOrCopy(Path src, Path dst, SourceTree.SourceFile f, Optional<Path> previous) throws IOException {
    if (previous.isPresent()) {
      PosixFileAttributes p = null;
      try {
        p = SourceTree.attributes(previous.get());
      } catch (NoSuchFileException absent) {
        // a new file: copy it
      }
      if (p != null && p.isRegularFile() && p.size() == f.size() && p.lastModifiedTime().equals(f.modified())
          && p.permissions().equals(f.mode())) {
        link(previous.get(), dst, f.size());
        return;
      }
    }
    copy(src, dst, f.modified(), f.mode());
  }

  /** Hard-links {@code dst} to {@code previous}, a medium of the previous backup with the source's size. */
  void link(Path previous, Path dst, long size) throws IOException {
    link(previous, dst, size, 1, size);
  }

  /**
   * Hard-links {@code dst} to the previous backup's copy of a database that {@code s} proves
   * unchanged; progress counts the source's files it stands for (the database and its companions).
   */
  void linkDatabase(Path previous, Path dst, DatabaseSnapshot s) throws IOException {
    link(previous, dst, s.copy().size(), s.sourceFiles(), s.sourceBytes());
  }

  private void link(Path previous, Path dst, long size, int progressFiles, long progressBytes) throws IOException {
    Files.createLink(dst, previous);
    files.increment();
    filesLinked.increment();
    bytesLinked.add(size);
    progress.bytes(progressBytes);
    for (int i = 0; i < progressFiles; i++) {
      progress.file();
    }
    pause();
  }

  /**
   * The mode bits the process's umask lets a new file keep, from /proc/self/status, read once. When
   * it cannot be read, none: every copy then gets its mode set explicitly (correct, one call more).
   */
  private Set<PosixFilePermission> umaskKeeps() {
    Set<PosixFilePermission> k = umaskKeeps;
    if (k == null) {
      k = EnumSet.noneOf(PosixFilePermission.class);
      try {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
          if (line.startsWith("Umask:")) {
            int umask = Integer.parseInt(line.substring(6).strip(), 8);
            PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ (0400) ... OTHERS_EXECUTE (0001)
            for (int i = 0; i < bits.length; i++) {
              if ((umask & (0400 >> i)) == 0) {
                k.add(bits[i]);
              }
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        k = EnumSet.noneOf(PosixFilePermission.class);
      }
      umaskKeeps = k;
    }
    return k;
  }

  long files() {
    return files.sum();
  }

  long filesLinked() {
    return filesLinked.sum();
  }

  long bytesCopied() {
    return bytesCopied.sum();
  }

  long bytesLinked() {
    return bytesLinked.sum();
  }

  private void pause() throws IOException {
    if (delay.isZero()) {
      return;
    }
    try {
      Sleeper.system().sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("backup interrupted");
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
