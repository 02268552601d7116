package dev.ankisupervisor.backup;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Makes one verified backup of the sync server's data (S2): checks the source
 * (refusing an empty or missing one before touching anything), optionally stops the server's unit,
 * copies the databases with their WAL (until two passes agree when live), hard-links unchanged
 * media to the previous backup, starts the unit again whatever happened, verifies every copied
 * database, renames the staging folder into place, applies retention and records the result in
 * last-backup.json. Runs on the caller's thread; {@link #abort()} may be called from a shutdown
 * hook on another thread and only restarts the unit and removes the staging folder.
 */
public final class Backup {
  private final ServiceControl services;
  private final Clock clock;
  private final LongSupplier nanos;
  private final Consumer<String> log;
  private final AtomicBoolean unitDown = new AtomicBoolean();
  private volatile String stoppedUnit;
  private volatile Path staging;
  private volatile String restartProblem;

  public Backup(ServiceControl services, Clock clock, LongSupplier nanos, Consumer<String> log) {
    this.services = services;
    this.clock = clock;
    this.nanos = nanos;
    this.log = log;
  }

  public BackupResult run(BackupRequest req) throws BackupException {
    long t0 = nanos.getAsLong();
    Path source = req.source().toAbsolutePath().normalize();
    Path dest = req.dest().toAbsolutePath().normalize();
    SourceTree tree = checkSource(source);
    checkDest(req.source(), req.dest(), dest);
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
        LastBackupFile.writeSuccess(dest, r);
      } catch (BackupException e) {
        recordFailure(dest, e.kind(), e.getMessage());
        throw e;
      } catch (IOException e) {
        String msg = "backup of " + source + " into " + dest + " failed: " + e + "; check free space and"
            + " permissions of " + dest + "; the incomplete copy was removed";
        recordFailure(dest, BackupException.Kind.IO, msg);
        throw new BackupException(BackupException.Kind.IO, msg, e);
      }
      String problem = restartProblem;
      if (problem != null) {
        throw new BackupException(BackupException.Kind.CONFIG, "the backup " + r.path() + " is complete, but "
            + problem);
      }
      return r;
    } catch (IOException e) {
      throw new BackupException(BackupException.Kind.IO, "cannot release the lock in " + dest + ": " + e.getMessage(), e);
    }
  }

  /** From a shutdown hook: start the stopped unit again and remove the staging folder. Idempotent. */
  public void abort() {
    restartUnit();
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
    staging = folders.createStaging(started);
    FileCopier copier = new FileCopier(req.copyDelay());
    int passes;
    try {
      try {
        if (req.stopUnit().isPresent()) {
          stopUnit(req.stopUnit().get());
        }
        passes = new DatabaseCopier(copier)
            .copyUntilStable(source, tree.databases(), staging, req.maxPasses(), req.stopUnit().isPresent());
        for (Path rel : tree.others()) {
          copier.linkOrCopy(source.resolve(rel), staging.resolve(rel), previous.map(p -> p.resolve(rel)));
        }
      } finally {
        restartUnit();
      }
      verify(tree.databases());
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
      long durationMs = (nanos.getAsLong() - t0) / 1_000_000;
      List<String> deleted = applyRetention(folders, req.retention());
      long files;
      try (var s = Files.walk(done)) {
        files = s.filter(Files::isRegularFile).count();
      }
      log.accept("backup complete: " + done);
      return new BackupResult(done, clock.instant(), files, copier.filesLinked(), tree.databases().size(), passes,
          copier.bytesCopied(), copier.bytesLinked(), durationMs, deleted);
    } finally {
      Path s = staging;
      if (s != null) {
        BackupFolders.deleteTree(s);
        staging = null;
      }
    }
  }

  private void verify(List<Path> databases) throws BackupException {
    for (Path db : databases) {
      List<String> problems = IntegrityVerifier.check(staging.resolve(db));
      if (!problems.isEmpty()) {
        throw new BackupException(BackupException.Kind.DATA, "the copy of " + db + " fails pragma integrity_check: "
            + String.join("; ", problems.subList(0, Math.min(3, problems.size())))
            + "; the source may be damaged: run the check on a copy by hand, and keep the older backups");
      }
      log.accept("verified " + db);
    }
  }

  private List<String> applyRetention(BackupFolders folders, BackupRequest.Retention retention) throws IOException {
    List<Path> complete = folders.complete();
    List<Instant> times = complete.stream().map(p -> BackupFolders.timeOf(p).orElseThrow()).toList();
    List<Instant> keep = RetentionPolicy.select(times, retention, ZoneOffset.UTC);
    List<String> deleted = new ArrayList<>();
    for (Path p : complete) {
      if (!keep.contains(BackupFolders.timeOf(p).orElseThrow())) {
        BackupFolders.deleteTree(p);
        deleted.add(p.getFileName().toString());
        log.accept("retention: removed " + p.getFileName());
      }
    }
    return deleted;
  }

  private void stopUnit(String unit) throws BackupException {
    try {
      log.accept("stopping " + unit);
      services.stop(unit);
    } catch (IOException e) {
      // It may be half stopped: start it again.
      stoppedUnit = unit;
      unitDown.set(true);
      throw new BackupException(BackupException.Kind.CONFIG, "could not stop " + unit + ": " + e.getMessage()
          + "; check the unit name given to --stop-unit and that the backup runs as root");
    }
    stoppedUnit = unit;
    unitDown.set(true);
  }

  private void restartUnit() {
    if (!unitDown.compareAndSet(true, false)) {
      return;
    }
    String unit = stoppedUnit;
    try {
      log.accept("starting " + unit);
      services.start(unit);
    } catch (IOException e) {
      restartProblem = "could not start " + unit + " again: " + e.getMessage() + "; start it by hand: systemctl start " + unit;
      log.accept(restartProblem);
    }
  }

  private SourceTree checkSource(Path source) throws BackupException {
    if (!Files.isDirectory(source)) {
      throw new BackupException(BackupException.Kind.SOURCE_REFUSED, "source " + source + (Files.exists(source)
          ? " is not a folder" : " does not exist") + "; refusing to back up nothing (the disk may not be"
          + " mounted); nothing was touched; check --source");
    }
    SourceTree tree;
    try {
      tree = SourceTree.scan(source);
    } catch (IOException e) {
      throw new BackupException(BackupException.Kind.IO, "cannot read source " + source + ": " + e.getMessage()
          + "; the backup must be able to read every file (run it as root or as the server's user)", e);
    }
    if (tree.isEmpty() || tree.databases().isEmpty()) {
      throw new BackupException(BackupException.Kind.SOURCE_REFUSED, "source " + source + (tree.isEmpty()
          ? " is empty" : " holds no database (*.anki2, *.db)") + "; refusing to make a backup that would"
          + " look complete but hold nothing; nothing was touched; check --source (the sync server's SYNC_BASE)");
    }
    return tree;
  }

  /**
   * Refuses a destination inside the source or containing it, compared as real paths: every symbolic
   * link in the destination, its parents and the source resolved (a link from the destination into
   * the source would nest each backup in the next and let retention delete inside the source).
   */
  private static void checkDest(Path givenSource, Path givenDest, Path dest) throws BackupException {
    Path realSource;
    Path realDest;
    try {
      realSource = RealPath.of(givenSource);
      realDest = RealPath.of(givenDest);
    } catch (IOException e) {
      throw new BackupException(BackupException.Kind.IO, "cannot resolve --source " + givenSource + " or --dest "
          + givenDest + " (" + e.getMessage() + "); check both exist and are readable", e);
    }
    if (realDest.startsWith(realSource) || realSource.startsWith(realDest)) {
      throw new BackupException(BackupException.Kind.CONFIG, "--dest " + givenDest + " (really " + realDest
          + ") and --source " + givenSource + " (really " + realSource + ") overlap once symbolic links are"
          + " resolved; a backup must not be inside what it copies (or contain it); choose another --dest");
    }
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
      log.accept("could not write " + dest.resolve(LastBackupFile.NAME) + ": " + e.getMessage());
    }
  }
}
