package dev.ankisupervisor.backup;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A finished, verified backup.
 *
 * @param path the complete backup folder
 * @param finishedAt when it was renamed into place
 * @param files regular files in the backup (databases, media, everything)
 * @param filesLinked of those, hard-linked to the previous backup (unchanged media)
 * @param databases databases copied and verified
 * @param passes copy passes over the databases (1 when the server was stopped)
 * @param bytesCopied bytes written, repeated passes included
 * @param bytesLinked bytes of the hard-linked files (not written again)
 * @param durationMs from start to rename, retention excluded
 * @param deleted older backups removed by retention (folder names)
 */
public record BackupResult(
    Path path, Instant finishedAt, long files, long filesLinked, int databases, int passes,
    long bytesCopied, long bytesLinked, long durationMs, List<String> deleted) {
  public BackupResult {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(finishedAt, "finishedAt");
    deleted = List.copyOf(deleted);
  }

  /** The fields of the summary line and of last-backup.json, in a stable order. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", path.toString());
    m.put("finishedAt", finishedAt.toString());
    m.put("files", files);
    m.put("filesLinked", filesLinked);
    m.put("databases", databases);
    m.put("passes", passes);
    m.put("bytesCopied", bytesCopied);
    m.put("bytesLinked", bytesLinked);
    m.put("durationMs", durationMs);
    m.put("deleted", deleted);
    return m;
  }
}
