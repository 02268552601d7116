package dev.ankisupervisor.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * Bounded by {@code maxPasses}. When the server is stopped one pass suffices. A database that the
 * previous backup copied in a settled pass and whose files are still in the same states
 * ({@link DatabaseSnapshot}) is hard-linked to that copy instead: nothing wrote it since, and
 * nothing is copied or hashed twice that did not change. Never opens the source as a database
 * (C7: no lock probing). Called from one thread.
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

  /**
   * What the copy did: the passes made (0 when every database was linked), the snapshots carried
   * over for the databases linked to the previous backup, and, for the copied ones, their source
   * states when the accepted pass proved them settled (their copies' identities are known only after
   * verification: {@link #snapshots}).
   */
  record Result(int passes, Map<Path, DatabaseSnapshot> carried, Map<Path, Map<String, FileState>> settled) {
    /** The databases linked to the previous backup. */
    Set<Path> linked() {
      return carried.keySet();
    }

    /** The snapshots for the next backup, once the copies in {@code staging} are verified. */
    List<DatabaseSnapshot> snapshots(Path staging) throws IOException {
      List<DatabaseSnapshot> all = new ArrayList<>(carried.values());
      for (Map.Entry<Path, Map<String, FileState>> e : settled.entrySet()) {
        DatabaseSnapshot.CopyIdentity copy = DatabaseSnapshot.CopyIdentity.of(staging.resolve(e.getKey()));
        if (copy != null) {
          all.add(new DatabaseSnapshot(e.getKey(), e.getValue(), copy));
        }
      }
      return all;
    }
  }

  /**
   * Links each database that {@code recorded} proves unchanged since {@code previous} was made, and
   * copies the others until a pass is consistent. A linked database's files are watched by every
   * pass like the copied ones: the set stays the picture of one moment.
   */
  Result copyUntilStable(Path source, List<Path> databases, Path staging, Optional<Path> previous,
      Map<Path, DatabaseSnapshot> recorded, int maxPasses, boolean quiescent) throws IOException, BackupException {
    Map<Path, DatabaseSnapshot> carried = new LinkedHashMap<>();
    if (previous.isPresent()) {
      for (Path db : databases) {
        DatabaseSnapshot s = recorded.get(db);
        if (s != null && s.unchanged(source, previous.get())) {
          copier.linkDatabase(previous.get().resolve(db), staging.resolve(db), s);
          carried.put(db, s);
        }
      }
    }
    List<Path> files = filesOf(databases); // every database is watched, the linked ones too
    Map<Path, Optional<FileCopier.Fingerprint>> last = null;
    for (int pass = 1; pass <= maxPasses; pass++) {
      List<Path> toCopy = databases.stream().filter(db -> !carried.containsKey(db)).toList();
      if (toCopy.isEmpty()) {
        return new Result(pass - 1, carried, Map.of());
      }
      Instant started = now.get();
      Map<Path, FileState> before = stat(source, files);
      Map<Path, Optional<FileCopier.Fingerprint>> current = new LinkedHashMap<>();
      for (Path rel : filesOf(toCopy)) {
        current.put(rel, copier.copy(source.resolve(rel), staging.resolve(rel)));
      }
      Map<Path, FileState> after = stat(source, files);
      if (unlinkChanged(carried, source, staging)) {
        last = null; // a linked database was written during the pass: it is copied by the next one
        continue;
      }
      long limit = started.minus(settled).toEpochMilli();
      boolean settledPass = before.equals(after) && allSettled(before, limit);
      if (quiescent || settledPass || current.equals(last)) {
        return new Result(pass, carried, settledPass ? statesOf(toCopy, before) : Map.of());
      }
      last = current;
    }
    throw new BackupException(BackupException.Kind.DATA, "the databases under " + source
        + " changed during each of " + maxPasses + " copy passes; a live copy needs a pass during which"
        + " nothing writes (a database is only consistent with its -wal); retry when the server is idle, raise --passes, or pass"
        + " --stop-unit to stop the server for the copy");
  }

  /** Each database's companions, then the database. */
  private static List<Path> filesOf(List<Path> databases) {
    List<Path> files = new ArrayList<>();
    for (Path db : databases) {
      // The WAL first: a checkpoint between the two reads moves data from the WAL into the
      // database, which the content rule then sees as a change (never as missing data).
      for (String suffix : SourceTree.COMPANIONS) {
        files.add(Path.of(db + suffix));
      }
      files.add(db);
    }
    return files;
  }

  /** Removes the link of each linked database whose source no longer matches its snapshot; true if any. */
  private static boolean unlinkChanged(Map<Path, DatabaseSnapshot> carried, Path source, Path staging)
      throws IOException {
    List<Path> changed = new ArrayList<>();
    for (DatabaseSnapshot s : carried.values()) {
      if (!s.sourceUnchanged(source)) {
        changed.add(s.rel());
      }
    }
    for (Path db : changed) {
      Files.delete(staging.resolve(db));
      carried.remove(db);
    }
    return !changed.isEmpty();
  }

  /** By database: the state of the database (suffix {@code ""}) and of each companion, null when absent. */
  private static Map<Path, Map<String, FileState>> statesOf(List<Path> databases, Map<Path, FileState> states) {
    Map<Path, Map<String, FileState>> m = new LinkedHashMap<>();
    for (Path db : databases) {
      Map<String, FileState> one = new LinkedHashMap<>();
      one.put("", states.get(db));
      for (String suffix : SourceTree.COMPANIONS) {
        one.put(suffix, states.get(Path.of(db + suffix)));
      }
      m.put(db, one);
    }
    return m;
  }

  private static boolean allSettled(Map<Path, FileState> states, long limitMillis) {
    for (FileState s : states.values()) {
      if (s != null && !s.settledBefore(limitMillis)) {
        return false;
      }
    }
    return true;
  }

  private static Map<Path, FileState> stat(Path source, List<Path> files) throws IOException {
    Map<Path, FileState> m = new LinkedHashMap<>();
    for (Path rel : files) {
      m.put(rel, FileState.of(source.resolve(rel)));
    }
    return m;
  }
}
