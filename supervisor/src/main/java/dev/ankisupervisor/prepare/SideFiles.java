package dev.ankisupervisor.prepare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code -journal}, {@code -wal} and {@code -shm} files beside prefs21.db, kept whatever SQLite
 * does with them. SQLite unlinks a journal it finds hot but cannot replay (junk), even beside a file
 * that is no database at all, the moment the file is opened; so before opening, each one gets a
 * second name (a hard link, same content, no copy). Afterwards {@link #settle} moves them beside a
 * corrupt file that was moved aside, or keeps the content SQLite consumed as {@code <leftover>-journal}.
 * Nothing is unlinked except our own extra name when the original name still holds the same file.
 *
 * <p>Single use, single thread.
 */
final class SideFiles {
  static final List<String> SUFFIXES = List.of("-journal", "-wal", "-shm");
  private static final Logger LOG = LoggerFactory.getLogger(SideFiles.class);

  private final Path db;
  /** suffix -> our extra name for the side file that existed. */
  private final Map<String, Path> links;

  private SideFiles(Path db, Map<String, Path> links) {
    this.db = db;
    this.links = links;
  }

  /** Gives every side file of {@code db} a second name {@code <leftover><suffix>}. */
  static SideFiles keep(Path db, Path leftover) throws IOException {
    Map<String, Path> links = new LinkedHashMap<>();
    for (String suffix : SUFFIXES) {
      Path side = side(db, suffix);
      if (Files.exists(side, LinkOption.NOFOLLOW_LINKS)) {
        Path link = leftover.resolveSibling(leftover.getFileName() + suffix);
        Files.createLink(link, side);
        links.put(suffix, link);
      }
    }
    return new SideFiles(db, links);
  }

  /**
   * After reading: moves what is beside prefs21.db (or, if SQLite removed it, our second name) beside
   * {@code corruptAside} when the file was moved there; with no corrupt file, drops our second names
   * whose originals are still there and keeps the others as leftovers.
   */
  void settle(java.util.Optional<Path> corruptAside) throws IOException {
    for (String suffix : SUFFIXES) {
      Path side = side(db, suffix);
      Path link = links.get(suffix);
      boolean sideThere = Files.exists(side, LinkOption.NOFOLLOW_LINKS);
      boolean same = sideThere && link != null && Files.isSameFile(side, link);
      if (corruptAside.isPresent()) {
        Path to = corruptAside.get().resolveSibling(corruptAside.get().getFileName() + suffix);
        if (sideThere) {
          Files.move(side, to, StandardCopyOption.ATOMIC_MOVE);
        } else if (link != null) {
          Files.move(link, to, StandardCopyOption.ATOMIC_MOVE);
          link = null;
        }
      }
      if (link != null) {
        if (same) {
          Files.delete(link); // only our extra name: the content keeps its own
        } else {
          LOG.warn("SQLite consumed {} on open (a hot journal replayed, or junk); its content is kept as {}", side, link);
        }
      }
    }
  }

  /**
   * A side file that SQLite cannot have written: a FIFO (SQLite would block for ever reading it as a
   * hot journal), a socket or device, a symbolic link (SQLite would write through it) or a folder.
   * Empty when every side file present is a regular file.
   */
  static java.util.Optional<String> notRegular(Path db) {
    for (String suffix : SUFFIXES) {
      Path side = side(db, suffix);
      if (Files.exists(side, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(side, LinkOption.NOFOLLOW_LINKS)) {
        String what = Files.isSymbolicLink(side) ? "a symbolic link" : Files.isDirectory(side, LinkOption.NOFOLLOW_LINKS)
            ? "a folder" : "a FIFO, socket or device";
        return java.util.Optional.of(side + " is " + what + ", not a journal SQLite wrote: opening " + db.getFileName()
            + " would block on it or write through it");
      }
    }
    return java.util.Optional.empty();
  }

  /** Any side file beside prefs21.db now? */
  static boolean anyBeside(Path db) {
    return SUFFIXES.stream().anyMatch(s -> Files.exists(side(db, s), LinkOption.NOFOLLOW_LINKS));
  }

  /** Moves each side file beside prefs21.db to the same suffix beside {@code to}. */
  static void moveBeside(Path db, Path to) throws IOException {
    for (String suffix : SUFFIXES) {
      Path side = side(db, suffix);
      if (Files.exists(side, LinkOption.NOFOLLOW_LINKS)) {
        Files.move(side, to.resolveSibling(to.getFileName() + suffix), StandardCopyOption.ATOMIC_MOVE);
      }
    }
  }

  private static Path side(Path db, String suffix) {
    return db.resolveSibling(db.getFileName() + suffix);
  }
}
