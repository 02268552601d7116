package dev.ankisupervisor.backup;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One database as a backup copied it: the state of its source files when the copy began (the
 * database and each companion of {@link SourceTree#COMPANIONS}, null when absent), taken in a pass
 * during which nothing wrote them and with settled times, and the identity of the verified copy in
 * that backup. The next backup hard-links that copy instead of copying the database again when the
 * source files are still in exactly these states and the copy is still this file: nothing wrote
 * the database since, so the copy holds what it holds now.
 *
 * @param rel the database, relative to the source
 * @param source by suffix ({@code ""} for the database itself, then the companions): the state, or null
 * @param copy the verified copy's inode, size and modification time (linking changes only its change time)
 */
record DatabaseSnapshot(Path rel, Map<String, FileState> source, CopyIdentity copy) {
  /** The copy's inode, size and modification time. */
  record CopyIdentity(long inode, long size, FileTime modified) {
    static CopyIdentity of(Path copy) throws IOException {
      FileState s = FileState.of(copy);
      return s == null ? null : new CopyIdentity(s.inode(), s.size(), s.modified());
    }

    // By hand, as FileState's: no method-handle bootstrap at the first comparison.
    @Override
    public boolean equals(Object o) {
      return o instanceof CopyIdentity c && inode == c.inode && size == c.size && modified.equals(c.modified);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(inode) * 31 + modified.hashCode();
    }
  }

  DatabaseSnapshot {
    Objects.requireNonNull(rel, "rel");
    Objects.requireNonNull(copy, "copy");
    source = Collections.unmodifiableMap(new LinkedHashMap<>(source)); // null values: absent files
  }

  /** Whether the source folder still holds the database in this state and {@code previous} (a backup) this copy. */
  boolean unchanged(Path sourceFolder, Path previous) throws IOException {
    return sourceUnchanged(sourceFolder) && copy.equals(CopyIdentity.of(previous.resolve(rel)));
  }

  /** The source files present: the database and its companions. */
  int sourceFiles() {
    int n = 0;
    for (FileState f : source.values()) {
      n += f == null ? 0 : 1;
    }
    return n;
  }

  /** Their bytes. */
  long sourceBytes() {
    long n = 0;
    for (FileState f : source.values()) {
      n += f == null ? 0 : f.size();
    }
    return n;
  }

  /** Whether the source folder still holds the database and its companions in exactly these states. */
  boolean sourceUnchanged(Path sourceFolder) throws IOException {
    for (Map.Entry<String, FileState> e : source.entrySet()) {
      if (!Objects.equals(FileState.of(Path.of(sourceFolder.resolve(rel) + e.getKey())), e.getValue())) {
        return false;
      }
    }
    return true;
  }
}
