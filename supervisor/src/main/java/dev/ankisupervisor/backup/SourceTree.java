package dev.ankisupervisor.backup;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;

/**
 * What is in the source folder (S2: {@code <user>/collection.anki2}, {@code <user>/media.db},
 * {@code <user>/media/}): its folders, the SQLite databases, each copied together with its
 * {@code -wal} (and a hot {@code -journal}), and every other regular file, each with the size,
 * modification time and mode read once by the walk (one lstat per entry, reused by the copy).
 * {@code -shm} files are skipped: SQLite rebuilds them from the WAL. Symbolic links and special
 * files inside the source are never followed nor copied. Paths are relative to the source. Immutable.
 */
record SourceTree(List<Folder> folders, List<SourceFile> databases, List<SourceFile> others, long bytes, long files) {
  private static final String[] DB_EXTENSIONS = {".anki2", ".db", ".db2", ".sqlite", ".sqlite3"};
  static final List<String> COMPANIONS = List.of("-wal", "-journal");
  private static final String[] ALL_COMPANIONS = {"-wal", "-journal", "-shm"};

  /** A folder of the source (the source itself is the empty path), its mode and its device + inode. */
  record Folder(Path rel, Set<PosixFilePermission> mode, Object key) {}

  /** A regular file of the source as the walk saw it. */
  record SourceFile(Path rel, long size, FileTime modified, Set<PosixFilePermission> mode) {}

  SourceTree {
    folders = List.copyOf(folders);
    databases = List.copyOf(databases);
    others = List.copyOf(others);
  }

  /** Walks {@code source} (a real path: its own links already resolved) without following any link. */
  static SourceTree scan(Path source) throws IOException {
    List<Folder> folders = new ArrayList<>();
    List<SourceFile> dbs = new ArrayList<>();
    List<SourceFile> others = new ArrayList<>();
    long[] totals = new long[2];
    walk(source, Path.of(""), attributes(source), folders, dbs, others, totals);
    return new SourceTree(folders, dbs, others, totals[0], totals[1]);
  }

  private static void walk(Path source, Path rel, PosixFileAttributes self, List<Folder> folders,
      List<SourceFile> dbs, List<SourceFile> others, long[] totals) throws IOException {
    folders.add(new Folder(rel, self.permissions(), self.fileKey()));
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> d = Files.newDirectoryStream(source.resolve(rel))) {
      d.forEach(entries::add);
    }
    entries.sort(Comparator.naturalOrder());
    for (Path p : entries) {
      Path r = rel.resolve(p.getFileName());
      PosixFileAttributes a = attributes(p);
      if (a.isDirectory()) {
        walk(source, r, a, folders, dbs, others, totals);
        continue;
      }
      if (!a.isRegularFile()) {
        continue; // a link or a special file: never followed, never copied (docs/safety.md)
      }
      String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
      boolean companion = isCompanion(name);
      if (companion && name.endsWith("-shm")) {
        continue;
      }
      totals[0] += a.size();
      totals[1]++;
      SourceFile f = new SourceFile(r, a.size(), a.lastModifiedTime(), a.permissions());
      if (companion) {
        continue; // copied with its database
      }
      if (isDatabase(name)) {
        dbs.add(f);
      } else {
        others.add(f);
      }
    }
  }

  static PosixFileAttributes attributes(Path p) throws IOException {
    return Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
  }

  /** Every folder of the source by its device + inode, to its path. */
  Map<Object, Path> folderKeys() {
    Map<Object, Path> m = new HashMap<>();
    for (Folder f : folders) {
      m.put(f.key(), f.rel());
    }
    return m;
  }

  boolean isEmpty() {
    return databases.isEmpty() && others.isEmpty();
  }

  // Plain loops: these run once per file of a folder of tens of thousands, mostly before the JIT.
  private static boolean isDatabase(String name) {
    for (String ext : DB_EXTENSIONS) {
      if (name.endsWith(ext)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isCompanion(String name) {
    for (String suffix : ALL_COMPANIONS) {
      if (name.endsWith(suffix) && isDatabase(name.substring(0, name.length() - suffix.length()))) {
        return true;
      }
    }
    return false;
  }
}
