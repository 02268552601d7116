package dev.ankisupervisor.backup;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Applies {@link RetentionPolicy} to the destination after a successful backup. The backup just
 * completed is never deleted, whatever else the folder holds. A backup named later than it (made
 * while the clock was ahead) cannot be ranked: it is reported, kept, and takes no place of the
 * rules, so it cannot push the good ones out. Only folders named like backups are ever deleted.
 * Called from the backup's thread.
 */
final class RetentionSweep {
  private final BackupFolders folders;
  private final Consumer<String> log;

  RetentionSweep(BackupFolders folders, Consumer<String> log) {
    this.folders = folders;
    this.log = log;
  }

  /** Returns the names of the backups deleted. */
  List<String> apply(BackupRequest.Retention rules, Path done) throws IOException {
    Instant doneAt = BackupFolders.timeOf(done).orElseThrow();
    List<Path> ranked = new ArrayList<>();
    for (Path p : folders.complete()) {
      if (BackupFolders.timeOf(p).orElseThrow().isAfter(doneAt)) {
        log.accept("warning: " + p + " is named in the future (after this backup, " + done.getFileName()
            + "): it was made while the clock was ahead; retention keeps it and does not count it; check it and"
            + " remove it by hand");
      } else {
        ranked.add(p);
      }
    }
    List<Instant> keep = RetentionPolicy.select(
        ranked.stream().map(p -> BackupFolders.timeOf(p).orElseThrow()).toList(), rules, ZoneOffset.UTC);
    List<String> deleted = new ArrayList<>();
    for (Path p : ranked) {
      if (!p.equals(done) && !keep.contains(BackupFolders.timeOf(p).orElseThrow())) {
        BackupFolders.deleteTree(p);
        deleted.add(p.getFileName().toString());
        log.accept("retention: removed " + p.getFileName());
      }
    }
    return deleted;
  }
}
