package dev.ankisupervisor.backup;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Makes one verified backup of the sync server's data (S2): checks the source (refusing an empty
 * or missing one before touching anything; a link at its top is followed, nothing inside it is),
 * optionally stops the server's unit, copies the databases with their WAL and, at the same time,
 * the media (hard-linking unchanged ones to the previous backup), starts the unit again whatever
 * happened, verifies every copied database, makes the whole copy durable with one sync of the
 * destination's file system, renames the staging folder into place, applies retention and records
 * the result in last-backup.json. Runs on the caller's thread (with {@link CopyRun}'s workers);
 * {@link #abort()} may be called from a shutdown hook on another thread and only restarts the unit
 * and removes the staging folder.
 */
public final class Backup {
  private final Clock clock;
  private final LongSupplier nanos;
  private final Consumer<String> log;
  private final BackupProgress progress;
  /** A pause after each file copied: zero, except for tests that interrupt a copy on purpose. */
  private final Duration pauseAfterEachFile;
  private final UnitPause unitPause;
  private volatile Path staging;

  public Backup(ServiceControl services, Clock clock, LongSupplier nanos, Consumer<String> log) {
    this(services, clock, nanos, log, new BackupProgress(nanos), Duration.ZERO);
  }

  public Backup(ServiceControl services, Clock clock, LongSupplier nanos, Consumer<String> log, BackupProgress progress,
      Duration pauseAfterEachFile) {
    if (pauseAfterEachFile.isNegative()) {
      throw new IllegalArgumentException("the pause after each file must be >= 0, found " + pauseAfterEachFile);
    }
    this.unitPause = new UnitPause(services, log);
    this.clock = clock;
    this.nanos = nanos;
    this.log = log;
    this.progress = progress;
    this.pauseAfterEachFile = pauseAfterEachFile;
  }

  public BackupResult run(BackupRequest req) throws BackupException {
    long t0 = nanos.getAsLong();
    // SQLite's library and JDBC driver (for the verification) and the binding of the final syncfs
    // load from the start, on threads of their own, while this one walks the source: each takes a
    // JVM 50-150 ms, and an unchanged database is verified as soon as it is linked
    // (docs/performance.md). Nothing is touched by them; a failure is met again where it matters.
    preload("backup-preload-sqlite", IntegrityVerifier::preload);
    preload("backup-preload-syncfs", FileSystemSync::preload);
    Path source = realSource(req.source());
    Path dest = req.dest().toAbsolutePath().normalize();
    SourceTree tree = checkSource(req.source(), source);
    DestinationCheck.check(req.source(), source, tree.folderKeys(), req.dest());
    createDest(dest);
    FileChannel lockFile;
    FileLock lock;
    try {
      lockFile = FileChannel.open(dest.resolve(".backup.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      lock = lockFile.tryLock();
    } catch (IOException e) {
      throw new BackupException(BackupException.Kind.IO, "cannot lock " + dest.resolve(".backup.lock")
          + ": " + e.getMessage() + "; check that " + dest + " is writable", e);
    }
    try (lockFile) {
      if (lock == null) {
        throw new BackupException(BackupException.Kind.CONFIG, "another backup is writing to " + dest
            + " (it holds " + dest.resolve(".backup.lock") + "); wait for it to finish");
      }
      BackupResult r;
      try {
        r = runLocked(req, source, dest, tree, t0);
      } catch (BackupException e) {
        recordFailure(dest, e.kind(), e.getMessage());
        throw e;
      } catch (IOException e) {
        String msg = "backup of " + source + " into " + dest + " failed: " + e + "; check free space and"
            + " permissions of " + dest + "; the incomplete copy was removed";
        recordFailure(dest, BackupException.Kind.IO, msg);
        throw new BackupException(BackupException.Kind.IO, msg, e);
      }
      try {
        LastBackupFile.writeSuccess(dest, r);
      } catch (IOException e) {
        String why = LastBackupFile.discard(dest);
        throw new BackupException(BackupException.Kind.IO, "the backup " + r.path() + " is complete, but "
            + dest.resolve(LastBackupFile.NAME) + " could not be written (" + e.getMessage() + "); " + why
            + "; free space on " + dest + " and run the backup again", e);
      }
      Optional<String> problem = unitPause.startProblem();
      if (problem.isPresent()) {
        throw new BackupException(BackupException.Kind.CONFIG, "the backup " + r.path() + " is complete, but "
            + problem.get());
      }
      return r;
    } catch (IOException e) {
      throw new BackupException(BackupException.Kind.IO, "cannot release the lock in " + dest + ": " + e.getMessage(), e);
    }
  }

  /**
   * From a shutdown hook: start the unit again once a stop was issued (after a stop still running
   * returns) and remove the staging folder. Idempotent.
   */
  public void abort() {
    unitPause.abort();
    Path s = staging;
    if (s != null) {
      try {
        BackupFolders.deleteTree(s);
      } catch (IOException e) {
        log.accept("could not remove " + s + ": " + e.getMessage() + "; the next backup removes it");
      }
    }
  }

  private BackupResult runLocked(BackupRequest req, Path source, Path dest, SourceTree tree, long t0)
      throws IOException, BackupException {
    BackupFolders folders = new BackupFolders(dest);
    Instant started = clock.instant();
    for (String stale : folders.removeStale(null)) {
      log.accept("removed " + stale + ", left by an interrupted backup");
    }
    Optional<Path> previous = folders.newestComplete();
    Map<Path, DatabaseSnapshot> recorded = previous.map(p -> DatabaseSourcesFile.readFor(dest, p)).orElse(Map.of());
    staging = folders.createStaging(started);
    progress.total(tree.files(), tree.bytes());
    FileCopier copier = new FileCopier(pauseAfterEachFile, progress);
    CopyRun copy = new CopyRun(copier, new DatabaseCopier(copier, clock::instant), log);
    CopyRun.Outcome outcome;
    try {
      outcome = copy.run(source, tree, staging, previous, recorded, req.maxPasses(), req.stopUnit().isPresent(),
          () -> req.stopUnit().ifPresent(unitPause::stop), unitPause::startAgain);
      log.accept("copied and verified; writing it to disk (syncfs)");
      FileSystemSync.sync(staging);
      Path done = folders.finalPathFor(started);
      if (Files.exists(done)) {
        throw new BackupException(BackupException.Kind.CONFIG, done + " already exists: two backups in the"
            + " same second; run the backup again");
      }
      Files.move(staging, done, StandardCopyOption.ATOMIC_MOVE);
      staging = null;
      try (FileChannel dir = FileChannel.open(dest, StandardOpenOption.READ)) {
        dir.force(true);
      }
      recordSnapshots(dest, done, outcome.snapshots());
      long durationMs = (nanos.getAsLong() - t0) / 1_000_000;
      List<String> deleted = new RetentionSweep(folders, log).apply(req.retention(), done);
      log.accept("backup complete: " + done);
      return new BackupResult(done, clock.instant(), outcome.files(), copier.filesLinked(), tree.databases().size(),
          outcome.passes(), copier.bytesCopied(), copier.bytesLinked(), durationMs, deleted);
    } finally {
      Path s = staging;
      if (s != null) {
        BackupFolders.deleteTree(s);
        staging = null;
      }
    }
  }

  private static void preload(String name, Runnable work) {
    Thread t = new Thread(work, name);
    t.setDaemon(true);
    t.start();
  }

  /**
   * Lets the next backup link the databases that will not have changed by then. A failure only costs
   * the next backup a copy: it is logged, and no older record is left in force.
   */
  private void recordSnapshots(Path dest, Path done, List<DatabaseSnapshot> snapshots) {
    try {
      DatabaseSourcesFile.write(dest, done, snapshots);
    } catch (IOException e) {
      try {
        DatabaseSourcesFile.delete(dest);
      } catch (IOException again) {
        // it names an older backup: the next backup ignores it
      }
      log.accept("could not write " + dest.resolve(DatabaseSourcesFile.NAME) + " (" + e.getMessage()
          + "); the next backup copies every database");
    }
  }

  /**
   * The source with every link in its path resolved, its top included: under systemd's DynamicUser
   * (as nixpkgs runs the sync server) the folder is a link into /var/lib/private; a link at the top
   * is the operator's own choice of --source. Inside it nothing is followed ({@link SourceTree}).
   */
  private static Path realSource(Path given) throws BackupException {
    Path abs = given.toAbsolutePath().normalize();
    if (!Files.isDirectory(abs)) {
      throw new BackupException(BackupException.Kind.SOURCE_REFUSED, "source " + abs + (Files.exists(abs)
          ? " is not a folder" : " does not exist") + "; refusing to back up nothing (the disk may not be"
          + " mounted); nothing was touched; check --source");
    }
    try {
      return given.toRealPath();
    } catch (IOException e) {
      throw new BackupException(BackupException.Kind.IO, "cannot resolve --source " + given + " (" + e.getMessage()
          + "); check it exists and is readable", e);
    }
  }

  private static SourceTree checkSource(Path given, Path source) throws BackupException {
    String named = given.toAbsolutePath().normalize().equals(source) ? source.toString()
        : given + " (really " + source + ")";
    SourceTree tree;
    try {
      tree = SourceTree.scan(source);
    } catch (IOException e) {
      throw new BackupException(BackupException.Kind.IO, "cannot read source " + named + ": " + e.getMessage()
          + "; the backup must be able to read every file (run it as root or as the server's user)", e);
    }
    if (tree.isEmpty() || tree.databases().isEmpty()) {
      throw new BackupException(BackupException.Kind.SOURCE_REFUSED, "source " + named + (tree.isEmpty()
          ? " is empty" : " holds no database (*.anki2, *.db)") + "; refusing to make a backup that would"
          + " look complete but hold nothing; nothing was touched; check --source (the sync server's SYNC_BASE)");
    }
    return tree;
  }

  private static void createDest(Path dest) throws BackupException {
    Path parent = dest.getParent();
    if (!Files.isDirectory(dest) && (parent == null || !Files.isDirectory(parent))) {
      throw new BackupException(BackupException.Kind.CONFIG, "--dest " + dest + " does not exist and neither"
          + " does its parent; is the backup disk mounted? create the folder: mkdir -p " + dest);
    }
    try {
      Files.createDirectories(dest);
    } catch (IOException e) {
      throw new BackupException(BackupException.Kind.IO, "cannot create --dest " + dest + ": " + e.getMessage()
          + "; check its permissions", e);
    }
  }

  private void recordFailure(Path dest, BackupException.Kind kind, String message) {
    try {
      LastBackupFile.writeFailure(dest, clock.instant(), kind, message);
    } catch (IOException | RuntimeException e) {
      log.accept("could not write " + dest.resolve(LastBackupFile.NAME) + ": " + e.getMessage() + "; "
          + LastBackupFile.discard(dest));
    }
  }
}
