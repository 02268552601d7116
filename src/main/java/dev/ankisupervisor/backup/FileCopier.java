package dev.ankisupervisor.backup;

import dev.ankisupervisor.os.Sleeper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Copies one file at a time, reading the source only (never opening it as a database), keeping
 * its modification time, fsyncing the copy and fingerprinting the exact bytes copied; or hard-links
 * an unchanged file to the previous backup. Counts what it did. Not thread-safe:
 * one backup thread. The only class of the package that sleeps (the hidden --copy-delay).
 */
final class FileCopier {
  /** What was copied: the source's size and mtime when read, and the SHA-256 of the bytes copied. */
  record Fingerprint(long size, FileTime modified, String sha256) {}

  private final Duration delay;
  private long files;
  private long bytesCopied;
  private long bytesLinked;
  private long filesLinked;

  FileCopier(Duration delay) {
    this.delay = delay;
  }

  /** Copies {@code src} to {@code dst} (replacing it); empty when {@code src} does not exist. */
  Optional<Fingerprint> copy(Path src, Path dst) throws IOException {
    BasicFileAttributes before;
    try {
      before = Files.readAttributes(src, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (java.nio.file.NoSuchFileException e) {
      Files.deleteIfExists(dst);
      return Optional.empty();
    }
    Files.createDirectories(dst.getParent());
    MessageDigest sha = sha256();
    long n = 0;
    try (InputStream in = Files.newInputStream(src);
        OutputStream out = Files.newOutputStream(dst, StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      byte[] buf = new byte[1 << 16];
      for (int r; (r = in.read(buf)) > 0; ) {
        sha.update(buf, 0, r);
        out.write(buf, 0, r);
        n += r;
      }
    }
    fsync(dst);
    Files.setLastModifiedTime(dst, before.lastModifiedTime());
    files++;
    bytesCopied += n;
    pause();
    return Optional.of(new Fingerprint(n, before.lastModifiedTime(), HexFormat.of().formatHex(sha.digest())));
  }

  /**
   * Hard-links {@code dst} to {@code previous} when that holds the same file (same size and
   * modification time as {@code src}; the copies keep the source's mtime), else copies.
   */
  void linkOrCopy(Path src, Path dst, Optional<Path> previous) throws IOException {
    if (previous.isPresent() && Files.isRegularFile(previous.get(), LinkOption.NOFOLLOW_LINKS)) {
      BasicFileAttributes s = Files.readAttributes(src, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      BasicFileAttributes p = Files.readAttributes(previous.get(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (s.size() == p.size() && s.lastModifiedTime().equals(p.lastModifiedTime())) {
        Files.createDirectories(dst.getParent());
        Files.createLink(dst, previous.get());
        files++;
        filesLinked++;
        bytesLinked += s.size();
        pause();
        return;
      }
    }
    copy(src, dst);
  }

  long files() {
    return files;
  }

  long filesLinked() {
    return filesLinked;
  }

  long bytesCopied() {
    return bytesCopied;
  }

  long bytesLinked() {
    return bytesLinked;
  }

  static void fsync(Path path) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      ch.force(true);
    }
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
