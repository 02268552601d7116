package dev.ankisupervisor.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Refuses a destination inside the source or containing it (docs/safety.md), compared two ways:
 * <ul>
 *   <li>as <b>real paths</b>: every symbolic link in the destination, its parents and the source
 *       resolved (a link from the destination into the source would nest each backup in the next
 *       and let retention delete inside the source);
 *   <li>as <b>folders</b> (device + inode): a bind mount reaches a folder by a second path that no
 *       link resolution sees, so the destination and each of its existing parents are compared
 *       with every folder of the source, and the source and each of its parents with the
 *       destination.
 * </ul>
 * Stateless.
 */
final class DestinationCheck {
  private DestinationCheck() {}

  /**
   * @param realSource the source's real path
   * @param sourceFolders every folder of the source by its file key (device + inode), to its path
   */
  static void check(Path givenSource, Path realSource, Map<Object, Path> sourceFolders, Path givenDest)
      throws BackupException {
    Path realDest;
    try {
      realDest = RealPath.of(givenDest);
    } catch (IOException e) {
      throw new BackupException(BackupException.Kind.IO, "cannot resolve --dest " + givenDest + " ("
          + e.getMessage() + "); check it exists and is readable", e);
    }
    if (realDest.startsWith(realSource) || realSource.startsWith(realDest)) {
      throw new BackupException(BackupException.Kind.CONFIG, "--dest " + givenDest + " (really " + realDest
          + ") and --source " + givenSource + " (really " + realSource + ") overlap once symbolic links are"
          + " resolved; a backup must not be inside what it copies (or contain it); choose another --dest");
    }
    for (Path p = realDest; p != null; p = p.getParent()) {
      Optional<Object> key = fileKey(p);
      if (key.isPresent() && sourceFolders.containsKey(key.get())) {
        Path inside = realSource.resolve(sourceFolders.get(key.get()));
        throw sameFolder(givenSource, givenDest, p + " is the source's folder " + inside);
      }
    }
    Optional<Object> destKey = fileKey(realDest);
    for (Path p = realSource; p != null && destKey.isPresent(); p = p.getParent()) {
      if (destKey.equals(fileKey(p))) {
        throw sameFolder(givenSource, givenDest, realDest + " is the source's parent " + p);
      }
    }
  }

  private static BackupException sameFolder(Path givenSource, Path givenDest, String why) {
    return new BackupException(BackupException.Kind.CONFIG, "--dest " + givenDest + " and --source " + givenSource
        + " overlap through a second path to the same folder (a bind mount?): " + why + " (same device and inode);"
        + " a backup must not be inside what it copies (or contain it); choose another --dest");
  }

  /** The folder's device + inode; empty when it does not exist (yet). */
  private static Optional<Object> fileKey(Path p) throws BackupException {
    try {
      return Optional.ofNullable(SourceTree.attributes(p).fileKey());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        return Optional.empty();
      }
      throw new BackupException(BackupException.Kind.IO, "cannot read " + p + " (" + e.getMessage()
          + "); the backup compares --dest and its parents with the source", e);
    }
  }
}
