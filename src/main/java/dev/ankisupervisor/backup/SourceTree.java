package dev.ankisupervisor.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What is in the source folder (S2: {@code <user>/collection.anki2}, {@code <user>/media.db},
 * {@code <user>/media/}): the SQLite databases, each copied together with its {@code -wal} (and a
 * hot {@code -journal}), and every other regular file. {@code -shm} files are skipped: SQLite
 * rebuilds them from the WAL. Paths are relative to the source. Immutable.
 */
record SourceTree(List<Path> databases, List<Path> others) {
  private static final Set<String> DB_EXTENSIONS = Set.of(".anki2", ".db", ".db2", ".sqlite", ".sqlite3");
  static final List<String> COMPANIONS = List.of("-wal", "-journal");

  SourceTree {
    databases = List.copyOf(databases);
    others = List.copyOf(others);
  }

  static SourceTree scan(Path source) throws IOException {
    List<Path> dbs = new ArrayList<>();
    List<Path> others = new ArrayList<>();
    try (Stream<Path> s = Files.walk(source)) {
      for (Path p : s.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).sorted().toList()) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        Path rel = source.relativize(p);
        if (isDatabase(name)) {
          dbs.add(rel);
        } else if (!isCompanion(name)) {
          others.add(rel);
        }
      }
    }
    return new SourceTree(dbs, others);
  }

  boolean isEmpty() {
    return databases.isEmpty() && others.isEmpty();
  }

  private static boolean isDatabase(String name) {
    return DB_EXTENSIONS.stream().anyMatch(name::endsWith);
  }

  private static boolean isCompanion(String name) {
    for (String suffix : List.of("-wal", "-journal", "-shm")) {
      if (name.endsWith(suffix) && isDatabase(name.substring(0, name.length() - suffix.length()))) {
        return true;
      }
    }
    return false;
  }
}
