package dev.ankisupervisor.backup;

import com.kenai.jffi.ArrayFlags;
import com.kenai.jffi.Function;
import com.kenai.jffi.HeapInvocationBuffer;
import com.kenai.jffi.Type;
import dev.ankisupervisor.os.Libc;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import jnr.constants.platform.Errno;

/**
 * Makes everything written to one file system durable with a single {@code syncfs(2)}: the
 * backup's copies, links and folders reach the disk together, instead of one blocking fsync per
 * file (on a disk where each costs milliseconds, tens of thousands of media files would spend
 * minutes in fsync alone). Since Linux 5.8 syncfs also reports a write-back error of any file of
 * that file system. The calls go through jffi's call interface ({@link Libc}), bound on first use
 * (call {@link #preload} early on another thread to hide it); not through jnr-ffi, whose generated
 * bindings cost a backup more CPU than its whole incremental run of a small folder
 * (docs/performance.md). Stateless; any thread.
 */
final class FileSystemSync {
  private static final int O_RDONLY = 0;
  private static final int O_DIRECTORY = 0200000;
  private static final int O_CLOEXEC = 02000000;

  /** Bound at the first use. */
  private static final class Calls {
    static final Function OPEN = Libc.function("open", Type.SINT32, Type.POINTER, Type.SINT32);
    static final Function SYNCFS = Libc.function("syncfs", Type.SINT32, Type.SINT32);
    static final Function CLOSE = Libc.function("close", Type.SINT32, Type.SINT32);
  }

  private FileSystemSync() {}

  static void preload() {
    try {
      Calls.OPEN.hashCode();
    } catch (RuntimeException | LinkageError e) {
      // sync() reports it, with the backup's message
    }
  }

  /** Writes back every dirty page and inode of the file system holding {@code folder}, and waits. */
  static void sync(Path folder) throws IOException {
    int fd;
    try {
      fd = open(folder);
    } catch (RuntimeException | LinkageError e) {
      throw new IOException("cannot call libc's open and syncfs (" + e + "), so the copy cannot be made durable", e);
    }
    if (fd < 0) {
      throw new IOException("cannot open " + folder + " to sync it: " + lastError());
    }
    try {
      if (Libc.INVOKER.invokeIrI(Calls.SYNCFS, fd) != 0) {
        throw new IOException("syncfs of " + folder + " failed: " + lastError());
      }
    } finally {
      Libc.INVOKER.invokeIrI(Calls.CLOSE, fd);
    }
  }

  /** open(2) of the folder, its name in the file system's encoding and NUL-terminated, as the JDK passes names. */
  private static int open(Path folder) {
    byte[] name = folder.toString().getBytes(Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8")));
    byte[] cString = new byte[name.length + 1];
    System.arraycopy(name, 0, cString, 0, name.length);
    HeapInvocationBuffer call = new HeapInvocationBuffer(Calls.OPEN);
    call.putArray(cString, 0, cString.length, ArrayFlags.IN);
    call.putInt(O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    return Libc.INVOKER.invokeInt(Calls.OPEN, call);
  }

  private static String lastError() {
    int errno = Libc.errno();
    Errno e = Errno.valueOf(errno);
    return e == null || e == Errno.__UNKNOWN_CONSTANT__ ? "errno " + errno : e.description() + " (errno " + errno + ")";
  }
}
