package dev.ankisupervisor.backup;

import java.io.IOException;
import java.nio.file.Path;
import jnr.constants.platform.Errno;
import jnr.ffi.LibraryLoader;

/**
 * Makes everything written to one file system durable with a single {@code syncfs(2)}: the
 * backup's copies, links and folders reach the disk together, instead of one blocking fsync per
 * file (on a disk where each costs milliseconds, tens of thousands of media files would spend
 * minutes in fsync alone). Since Linux 5.8 syncfs also reports a write-back error of any file of
 * that file system. The native call goes through jnr-ffi, loaded on first use (call {@link #preload}
 * early on another thread to hide its start). Stateless; any thread.
 */
final class FileSystemSync {
  private static final int O_RDONLY = 0;

  /** The three libc calls, bound by jnr-ffi. */
  public interface LibC {
    int open(String path, int flags);

    int syncfs(int fd);

    int close(int fd);
  }

  private static final class Native {
    static final LibC C = LibraryLoader.create(LibC.class).load("c");
    static final jnr.ffi.Runtime RUNTIME = jnr.ffi.Runtime.getRuntime(C);
  }

  private FileSystemSync() {}

  /** Loads the native binding now (it takes a while on a busy machine); a failure shows in {@link #sync}. */
  static void preload() {
    try {
      Native.C.hashCode();
    } catch (LinkageError e) {
      // sync() reports it, with the backup's message
    }
  }

  /** Writes back every dirty page and inode of the file system holding {@code folder}, and waits. */
  static void sync(Path folder) throws IOException {
    LibC c;
    try {
      c = Native.C;
    } catch (LinkageError e) {
      throw new IOException("cannot load libc's syncfs through jnr-ffi (" + e + "), so the copy cannot be made"
          + " durable", e);
    }
    int fd = c.open(folder.toString(), O_RDONLY);
    if (fd < 0) {
      throw new IOException("cannot open " + folder + " to sync it: " + lastError());
    }
    try {
      if (c.syncfs(fd) != 0) {
        throw new IOException("syncfs of " + folder + " failed: " + lastError());
      }
    } finally {
      c.close(fd);
    }
  }

  private static String lastError() {
    int errno = Native.RUNTIME.getLastError();
    Errno e = Errno.valueOf(errno);
    return e == null || e == Errno.__UNKNOWN_CONSTANT__ ? "errno " + errno : e.description();
  }
}
