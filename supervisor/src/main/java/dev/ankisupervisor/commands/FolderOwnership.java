package dev.ankisupervisor.commands;

import dev.ankisupervisor.files.FolderLock;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Claims the folders a command writes (the Anki base, the state folder) for this process alone,
 * through one {@link FolderLock} per distinct real folder: a second {@code run} or {@code prepare}
 * on a base that a live supervisor owns stops at once with 78 naming the owner, before it writes
 * anything (C2: prefs21.db may be written only while no Anki of the base runs; two supervisors would
 * each take the other's Anki for a stale one).
 *
 * <p>Main thread only; {@link #close} releases every lock (the kernel does it too on death).
 */
final class FolderOwnership implements AutoCloseable {
  private final List<FolderLock> locks;

  private FolderOwnership(List<FolderLock> locks) {
    this.locks = locks;
  }

  /**
   * Locks each folder (created if missing), the same real folder once.
   *
   * @param command what this process does ("run", "prepare"), for a refused caller to read
   * @param folders by role ("--base", "--state-dir"), in locking order
   * @throws UserError CONFIG (78) when another process owns one or its lock file is a link (or not a
   *     regular file), IO (74) when a lock file cannot be made
   */
  static FolderOwnership claim(String command, Map<String, Path> folders) {
    Map<Path, String> distinct = new LinkedHashMap<>();
    List<FolderLock> taken = new ArrayList<>();
    try {
      for (Map.Entry<String, Path> e : folders.entrySet()) {
        Path folder = e.getValue().toAbsolutePath().normalize();
        java.nio.file.Files.createDirectories(folder);
        distinct.putIfAbsent(folder.toRealPath(), e.getKey());
      }
      for (Map.Entry<Path, String> e : distinct.entrySet()) {
        taken.add(lock(command, e.getKey(), e.getValue()));
      }
      return new FolderOwnership(List.copyOf(taken));
    } catch (FolderLock.UnsafeFileException e) {
      closeAll(taken);
      throw new UserError(ExitCode.CONFIG, e.getMessage(), e);
    } catch (IOException e) {
      closeAll(taken);
      throw new UserError(ExitCode.IO, "cannot create the owner lock " + FolderLock.FILE_NAME + " in " + folders.values()
          + " (" + e.getMessage() + "); the folders must be writable by this user", e);
    } catch (RuntimeException e) {
      closeAll(taken);
      throw e;
    }
  }

  private static FolderLock lock(String command, Path folder, String role) throws IOException {
    try {
      return FolderLock.acquire(folder, command);
    } catch (FolderLock.HeldException e) {
      throw new UserError(ExitCode.CONFIG, role + " " + folder + " is owned by " + e.owner() + " (lock "
          + folder.resolve(FolderLock.FILE_NAME) + "): one supervisor per folder, and prepare only while none runs;"
          + " stop that one first (systemctl stop anki-connect, or anki-connect@PROFILE) or give this one its own " + role);
    }
  }

  @Override
  public void close() {
    closeAll(locks);
  }

  private static void closeAll(List<FolderLock> locks) {
    for (FolderLock l : locks) {
      try {
        l.close();
      } catch (IOException e) {
        // the kernel drops the lock when this process ends; nothing else to do
      }
    }
  }
}
