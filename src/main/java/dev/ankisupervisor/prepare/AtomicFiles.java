package dev.ankisupervisor.prepare;

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
import java.util.Set;
import java.util.UUID;

/**
 * Writes a file so a reader sees either the old or the new content, never a half-written one: a
 * temp file in the same folder, fsync, rename over the target, fsync the folder. A failure leaves
 * the old file whole and removes the temp file.
 *
 * <p>Stateless; safe from any thread (two writers of the same target: the last rename wins).
 */
final class AtomicFiles {
  static final Set<PosixFilePermission> MODE_0644 = PosixFilePermissions.fromString("rw-r--r--");
  static final Set<PosixFilePermission> MODE_0600 = PosixFilePermissions.fromString("rw-------");

  private AtomicFiles() {}

  /** A fresh temp path beside {@code target}, hidden, named after it. */
  static Path tempBeside(Path target) {
    return target.resolveSibling("." + target.getFileName() + ".tmp-" + UUID.randomUUID().toString().substring(0, 8));
  }

  /** Replaces {@code target} with {@code content} atomically, with mode {@code mode}. */
  static void write(Path target, byte[] content, Set<PosixFilePermission> mode) throws IOException {
    Path temp = tempBeside(target);
    try {
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        Files.setPosixFilePermissions(temp, mode);
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      matchOwner(temp, Files.exists(target) ? target : target.toAbsolutePath().getParent());
      moveInto(temp, target);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Renames a finished, fsynced {@code temp} over {@code target} and fsyncs the folder. */
  static void moveInto(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("cannot rename " + temp + " over " + target + " atomically", e);
    }
    syncFolder(target.toAbsolutePath().getParent());
  }

  /** fsyncs a folder so a rename in it survives a crash. */
  static void syncFolder(Path folder) throws IOException {
    try (FileChannel ch = FileChannel.open(folder, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /**
   * Gives {@code file} the owner and group of {@code model} (the file it replaces, or its folder), so
   * a supervisor run as root never leaves root-owned files in the Anki user's base. Does nothing
   * when they already match or when we may not chown.
   */
  static void matchOwner(Path file, Path model) {
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

  /** fsyncs one file. */
  static void syncFile(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }
}
