package dev.ankisupervisor.backup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Copies every database with its {@code -wal} (S2: the recent data lives there; a database without
 * its WAL is missing it), pass after pass, until two passes in a row read the same bytes (same
 * size, mtime and SHA-256 of each database and companion): then nothing changed while the last pass
 * copied, so its copy is consistent. Bounded by {@code maxPasses}. When the server is stopped one
 * pass suffices. Never opens the source as a database (C7: no lock probing). One backup thread.
 */
final class DatabaseCopier {
  private final FileCopier copier;

  DatabaseCopier(FileCopier copier) {
    this.copier = copier;
  }

  /** Returns the number of passes made. */
  int copyUntilStable(Path source, List<Path> databases, Path staging, int maxPasses, boolean quiescent)
      throws IOException, BackupException {
    Map<Path, Optional<FileCopier.Fingerprint>> previous = null;
    for (int pass = 1; pass <= maxPasses; pass++) {
      Map<Path, Optional<FileCopier.Fingerprint>> current = copyOnce(source, databases, staging);
      if (quiescent || current.equals(previous)) {
        return pass;
      }
      previous = current;
    }
    throw new BackupException(BackupException.Kind.DATA, "the databases under " + source
        + " changed during each of " + maxPasses + " copy passes; a live copy needs two passes in a row"
        + " that read the same bytes (S2); retry when the server is idle, raise --passes, or pass"
        + " --stop-unit to stop the server for the copy");
  }

  private Map<Path, Optional<FileCopier.Fingerprint>> copyOnce(Path source, List<Path> databases, Path staging)
      throws IOException {
    Map<Path, Optional<FileCopier.Fingerprint>> prints = new LinkedHashMap<>();
    for (Path db : databases) {
      // The WAL first: a checkpoint between the two reads moves data from the WAL into the
      // database, which the next pass then sees as a change (never as missing data).
      for (String suffix : SourceTree.COMPANIONS) {
        Path rel = Path.of(db + suffix);
        prints.put(rel, copier.copy(source.resolve(rel), staging.resolve(rel)));
      }
      prints.put(db, copier.copy(source.resolve(db), staging.resolve(db)));
    }
    return prints;
  }
}
