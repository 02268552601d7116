package dev.ankisupervisor.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Copies every database with its {@code -wal} (S2: the recent data lives there; a database without
 * its WAL is missing it) so that the copy is consistent, in as few passes as it can prove:
 * <ul>
 *   <li><b>Untouched during the pass</b>: every file's size, mtime, ctime and inode are the same
 *       before and after the pass, and its mtime and ctime are older than the pass by more than
 *       {@link #SETTLED}. Any write during the pass would have set both times to the current time
 *       (a later one than the old value even with a coarse clock or a file system that keeps whole
 *       seconds), so the bytes read are those of one moment: one pass suffices.
 *   <li>Else, as before, <b>two passes in a row read the same bytes</b> (size, mtime and SHA-256 of
 *       each database and companion): nothing changed while the last pass copied.
 * </ul>
 * Bounded by {@code maxPasses}. When the server is stopped one pass suffices. Never opens the
 * source as a database (C7: no lock probing). Called from one thread.
 */
final class DatabaseCopier {
  /** Longer than any file system's timestamp step (FAT: 2 s) plus the kernel's clock tick. */
  static final Duration SETTLED = Duration.ofMillis(2100);

  private final FileCopier copier;
  private final Supplier<Instant> now;
  private final Duration settled;

  DatabaseCopier(FileCopier copier, Supplier<Instant> now) {
    this(copier, now, SETTLED);
  }

  /** With another settling time: tests. */
  DatabaseCopier(FileCopier copier, Supplier<Instant> now, Duration settled) {
    this.copier = copier;
    this.now = now;
    this.settled = settled;
  }

  /** What stat says about one file; absent files are {@code null} in a map. */
  private record Stat(long size, FileTime modified, FileTime changed, long inode) {}

  /** Returns the number of passes made. */
  int copyUntilStable(Path source, List<Path> databases, Path staging, int maxPasses, boolean quiescent)
      throws IOException, BackupException {
    Map<Path, Optional<FileCopier.Fingerprint>> previous = null;
    List<Path> files = new ArrayList<>();
    for (Path db : databases) {
      // The WAL first: a checkpoint between the two reads moves data from the WAL into the
      // database, which the content rule then sees as a change (never as missing data).
      for (String suffix : SourceTree.COMPANIONS) {
        files.add(Path.of(db + suffix));
      }
      files.add(db);
    }
    for (int pass = 1; pass <= maxPasses; pass++) {
      Instant started = now.get();
      Map<Path, Stat> before = stat(source, files);
      Map<Path, Optional<FileCopier.Fingerprint>> current = new LinkedHashMap<>();
      for (Path rel : files) {
        current.put(rel, copier.copy(source.resolve(rel), staging.resolve(rel)));
      }
      if (quiescent || untouched(before, stat(source, files), started, settled) || current.equals(previous)) {
        return pass;
      }
      previous = current;
    }
    throw new BackupException(BackupException.Kind.DATA, "the databases under " + source
        + " changed during each of " + maxPasses + " copy passes; a live copy needs a pass during which"
        + " nothing writes (a database is only consistent with its -wal); retry when the server is idle, raise --passes, or pass"
        + " --stop-unit to stop the server for the copy");
  }

  private static boolean untouched(Map<Path, Stat> before, Map<Path, Stat> after, Instant started, Duration settled) {
    if (!before.equals(after)) {
      return false;
    }
    long limit = started.minus(settled).toEpochMilli();
    for (Stat s : before.values()) {
      if (s != null && (s.modified().toMillis() >= limit || s.changed().toMillis() >= limit)) {
        return false;
      }
    }
    return true;
  }

  private static Map<Path, Stat> stat(Path source, List<Path> files) throws IOException {
    Map<Path, Stat> m = new LinkedHashMap<>();
    for (Path rel : files) {
      try {
        Map<String, Object> a = Files.readAttributes(source.resolve(rel), "unix:size,lastModifiedTime,ctime,ino",
            LinkOption.NOFOLLOW_LINKS);
        m.put(rel, new Stat((Long) a.get("size"), (FileTime) a.get("lastModifiedTime"), (FileTime) a.get("ctime"),
            (Long) a.get("ino")));
      } catch (NoSuchFileException e) {
        m.put(rel, null);
      }
    }
    return m;
  }
}
