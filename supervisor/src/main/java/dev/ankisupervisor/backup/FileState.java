package dev.ankisupervisor.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/**
 * What stat says of a source file: its inode, size, and modification and change times (to the
 * nanosecond the file system keeps). Any write, truncation, rename onto it, chmod or chown changes
 * the change time, which no program can set back; so two equal states with settled times in
 * between (see {@link DatabaseCopier#SETTLED}) mean nothing wrote the file.
 */
record FileState(long inode, long size, FileTime modified, FileTime changed) {
  /** The file's state; null when it does not exist (a database without a {@code -wal}). */
  static FileState of(Path file) throws IOException {
    try {
      Map<String, Object> a = Files.readAttributes(file, "unix:size,lastModifiedTime,ctime,ino", LinkOption.NOFOLLOW_LINKS);
      return new FileState((Long) a.get("ino"), (Long) a.get("size"), (FileTime) a.get("lastModifiedTime"),
          (FileTime) a.get("ctime"));
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  // equals and hashCode by hand: a record's generated ones are bootstrapped through method handles
  // at their first call, about 60 ms of a backup's start (docs/performance.md).
  @Override
  public boolean equals(Object o) {
    return o instanceof FileState f && inode == f.inode && size == f.size && modified.equals(f.modified)
        && changed.equals(f.changed);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(inode) * 31 + modified.hashCode();
  }

  /** Whether both times are before {@code limitMillis} (epoch milliseconds). */
  boolean settledBefore(long limitMillis) {
    return modified.toMillis() < limitMillis && changed.toMillis() < limitMillis;
  }
}
