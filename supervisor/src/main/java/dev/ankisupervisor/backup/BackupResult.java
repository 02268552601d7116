package dev.ankisupervisor.backup;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
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

  /**
   * The summary line, and last-backup.json's {@code result}: one JSON object, its fields in a stable
   * order. Written with jackson-core's generator: the object mapper would load several hundred classes
   * for one line (docs/performance.md).
   */
  void writeTo(JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField("path", path.toString());
    g.writeStringField("finishedAt", finishedAt.toString());
    g.writeNumberField("files", files);
    g.writeNumberField("filesLinked", filesLinked);
    g.writeNumberField("databases", databases);
    g.writeNumberField("passes", passes);
    g.writeNumberField("bytesCopied", bytesCopied);
    g.writeNumberField("bytesLinked", bytesLinked);
    g.writeNumberField("durationMs", durationMs);
    g.writeArrayFieldStart("deleted");
    for (String d : deleted) {
      g.writeString(d);
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  /** The summary line: {@link #writeTo} as compact JSON. */
  public String toJson() {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
      writeTo(g);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to a string (a bug)", e);
    }
    return out.toString();
  }
}
