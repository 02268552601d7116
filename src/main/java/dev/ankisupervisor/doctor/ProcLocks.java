package dev.ankisupervisor.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads /proc/locks (C7: Anki's collection lock shows there as a POSIX write lock on the file's
 * device:inode, with the holder's pid) to find who holds a file, without opening it. Read-only;
 * any thread.
 */
final class ProcLocks {
  private ProcLocks() {}

  /** The pids holding a lock on {@code file} (blocked waiters, "->" lines, are not holders). */
  static List<Long> holders(Path locksFile, Path file) throws IOException {
    long inode = ((Number) Files.getAttribute(file, "unix:ino")).longValue();
    long dev = ((Number) Files.getAttribute(file, "unix:dev")).longValue();
    long major = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
    long minor = (dev & 0xff) | ((dev >>> 12) & ~0xffL);
    List<Long> pids = new ArrayList<>();
    for (String line : Files.readAllLines(locksFile)) {
      String[] f = line.trim().split("\\s+");
      // "1: POSIX  ADVISORY  WRITE 4242 08:01:1234567 0 EOF"
      if (f.length < 6 || f[1].equals("->")) {
        continue;
      }
      String[] id = f[5].split(":");
      if (id.length != 3) {
        continue;
      }
      try {
        if (Long.parseLong(id[2]) == inode && Long.parseLong(id[0], 16) == major && Long.parseLong(id[1], 16) == minor) {
          long pid = Long.parseLong(f[4]);
          if (!pids.contains(pid)) {
            pids.add(pid);
          }
        }
      } catch (NumberFormatException ignored) {
        // a line we do not understand is no holder
      }
    }
    return pids;
  }
}
