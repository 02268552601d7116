package dev.ankisupervisor.backup;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The copy of one backup into its staging folder: the folders first (with the source's modes), then
 * at the same time the databases on one thread (copied until consistent, then verified) and the
 * media on {@link #MEDIA_THREADS} others (linked to the previous backup or copied: many small files
 * are bound by system calls and, on a cold disk, by the previous backup's inodes, so several in
 * flight help). The server's unit is stopped before and started again as soon as every file is
 * copied, before the verification ends, whatever happened. One run per instance.
 */
final class CopyRun {
  static final int MEDIA_THREADS = 3;
  private static final Set<PosixFilePermission> OWNER_RWX =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

  /**
   * What the copy did: passes over the databases (0 when each was linked), regular files in the
   * staging folder, and the databases' snapshots for the next backup ({@link DatabaseSourcesFile}).
   */
  record Outcome(int passes, long files, List<DatabaseSnapshot> snapshots) {}

  /** Thrown by the stop action when the unit could not be stopped (carries the message). */
  static final class StopFailed extends RuntimeException {
    final BackupException failure;

    StopFailed(BackupException failure) {
      super(failure.getMessage());
      this.failure = failure;
    }
  }

  private final FileCopier copier;
  private final DatabaseCopier databases;
  private final Consumer<String> log;

  CopyRun(FileCopier copier, DatabaseCopier databases, Consumer<String> log) {
    this.copier = copier;
    this.databases = databases;
    this.log = log;
  }

  Outcome run(Path source, SourceTree tree, Path staging, Optional<Path> previous,
      Map<Path, DatabaseSnapshot> recorded, int maxPasses, boolean quiescent, Runnable stop, Runnable restart)
      throws IOException, BackupException {
    makeFolders(tree, staging);
    ExecutorService pool = Executors.newFixedThreadPool(1 + MEDIA_THREADS, r -> {
      Thread t = new Thread(r, "backup-copy");
      t.setDaemon(true);
      return t;
    });
    CountDownLatch databasesCopied = new CountDownLatch(1);
    List<Path> dbs = tree.databases().stream().map(SourceTree.SourceFile::rel).toList();
    try {
      Future<DatabaseCopier.Result> dbTask;
      try {
        try {
          stop.run();
        } catch (StopFailed e) {
          throw e.failure;
        }
        dbTask = pool.submit(() -> {
          DatabaseCopier.Result copied;
          try {
            copied = databases.copyUntilStable(source, dbs, staging, previous, recorded, maxPasses, quiescent);
          } finally {
            databasesCopied.countDown();
          }
          logCopy(dbs.size(), copied);
          List<Path> written = dbs.stream().filter(db -> !copied.linked().contains(db)).toList();
          Thread early = writeBackEarly(staging, written);
          try {
            verify(staging, dbs, copied.linked());
          } finally {
            early.join();
          }
          return copied;
        });
        List<Future<Void>> media = new ArrayList<>();
        for (int k = 0; k < MEDIA_THREADS; k++) {
          int first = k;
          media.add(pool.submit(mediaSlice(source, tree.others(), staging, previous, first)));
        }
        for (Future<Void> f : media) {
          get(f);
        }
        awaitCopy(databasesCopied, dbTask);
      } finally {
        restart.run();
      }
      DatabaseCopier.Result copied = get(dbTask);
      fixFolderModes(tree, staging);
      return new Outcome(copied.passes(), tree.others().size() + countPresent(staging, dbs),
          copied.snapshots(staging));
    } finally {
      pool.shutdownNow();
      awaitWorkers(pool);
    }
  }

  /** After a failure the workers stop at their next file; the staging folder is removed only then. */
  private static void awaitWorkers(ExecutorService pool) throws InterruptedIOException {
    try {
      if (!pool.awaitTermination(60, TimeUnit.SECONDS)) {
        throw new InterruptedIOException("the copy threads did not stop within 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("backup interrupted");
    }
  }

  /** Every {@code MEDIA_THREADS}-th file from {@code first}: the slices stay balanced whatever the order. */
  private Callable<Void> mediaSlice(Path source, List<SourceTree.SourceFile> files, Path staging,
      Optional<Path> previous, int first) {
    return () -> {
      for (int i = first; i < files.size(); i += MEDIA_THREADS) {
        if (Thread.currentThread().isInterrupted()) {
          throw new InterruptedIOException("backup interrupted");
        }
        SourceTree.SourceFile f = files.get(i);
        copier.linkOrCopy(source.resolve(f.rel()), staging.resolve(f.rel()), f, previous.map(p -> p.resolve(f.rel())));
      }
      return null;
    };
  }

  private void logCopy(int databases, DatabaseCopier.Result copied) {
    int linked = copied.linked().size();
    if (linked > 0) {
      log.accept("linked " + linked + " unchanged database(s) to the previous backup");
    }
    if (linked < databases) {
      log.accept("copied " + (databases - linked) + " database(s) with their WAL in " + copied.passes() + " pass(es)");
    }
  }

  /**
   * Checks every database of the backup, the linked ones too: those read-only, since the file is
   * also the previous backup's copy.
   */
  private void verify(Path staging, List<Path> dbs, Set<Path> linked) throws BackupException {
    for (Path db : dbs) {
      List<String> problems = linked.contains(db) ? IntegrityVerifier.checkShared(staging.resolve(db))
          : IntegrityVerifier.check(staging.resolve(db));
      if (!problems.isEmpty()) {
        throw new BackupException(BackupException.Kind.DATA, "the copy of " + db + " fails pragma integrity_check: "
            + String.join("; ", problems.subList(0, Math.min(3, problems.size())))
            + "; the source may be damaged: run the check on a copy by hand, and keep the older backups");
      }
      log.accept("verified " + db);
    }
  }

  /**
   * Starts writing the database copies to disk while they are verified (the verification only reads
   * them, but for the WAL it folds in): the final syncfs then finds little left. Any error is left
   * for that syncfs to report.
   */
  private static Thread writeBackEarly(Path staging, List<Path> dbs) {
    Thread t = new Thread(() -> {
      for (Path db : dbs) {
        try (FileChannel ch = FileChannel.open(staging.resolve(db), StandardOpenOption.READ)) {
          ch.force(false);
        } catch (IOException e) {
          // the syncfs before the rename reports it
        }
      }
    }, "backup-writeback");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** The folders, owner-writable while the copy fills them (a 0555 folder gets its mode at the end). */
  private static void makeFolders(SourceTree tree, Path staging) throws IOException {
    for (SourceTree.Folder f : tree.folders()) {
      Set<PosixFilePermission> mode = EnumSet.copyOf(OWNER_RWX);
      mode.addAll(f.mode());
      Path dir = staging.resolve(f.rel());
      if (!f.rel().toString().isEmpty()) {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(mode));
      }
      Files.setPosixFilePermissions(dir, mode);
    }
  }

  /** Each folder gets the source's mode exactly, the deepest first. */
  private static void fixFolderModes(SourceTree tree, Path staging) throws IOException {
    List<SourceTree.Folder> folders = tree.folders();
    for (int i = folders.size() - 1; i >= 0; i--) {
      SourceTree.Folder f = folders.get(i);
      Path dir = staging.resolve(f.rel());
      if (!Files.getPosixFilePermissions(dir).equals(f.mode())) {
        Files.setPosixFilePermissions(dir, f.mode());
      }
    }
  }

  private static long countPresent(Path staging, List<Path> dbs) {
    long n = 0;
    for (Path db : dbs) {
      n += Files.isRegularFile(staging.resolve(db)) ? 1 : 0;
      for (String suffix : SourceTree.COMPANIONS) {
        n += Files.isRegularFile(staging.resolve(db + suffix)) ? 1 : 0;
      }
    }
    return n;
  }

  /** Waits until the databases are copied; a failed copy is thrown here. */
  private static void awaitCopy(CountDownLatch copied, Future<?> dbTask) throws IOException, BackupException {
    try {
      copied.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("backup interrupted");
    }
    if (dbTask.isDone()) {
      get(dbTask); // throws when the copy failed
    }
  }

  private static <T> T get(Future<T> f) throws IOException, BackupException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("backup interrupted");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof IOException io) {
        throw io;
      }
      if (c instanceof BackupException b) {
        throw b;
      }
      if (c instanceof UncheckedIOException u) {
        throw u.getCause();
      }
      if (c instanceof RuntimeException r) {
        throw r;
      }
      if (c instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(c);
    }
  }
}
