package dev.ankisupervisor.backup;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.ankisupervisor.files.AtomicFile;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code <dest>/.database-sources.json}: the {@link DatabaseSnapshot}s of the newest backup, which
 * let the next one link its unchanged databases. Written atomically after the backup is renamed
 * complete; it names that backup, and is ignored unless the next backup's previous one is that
 * backup. Only ever a shortcut: when it is missing, damaged or of another backup, every database is
 * copied, as always before. Schema 1:
 * {@code {"schema":1,"backup":"<folder>","databases":[{"path":"user/collection.anki2",
 * "source":{"":{"inode":N,"size":N,"modifiedNs":N,"changedNs":N},"-wal":{...}|null,...},
 * "copy":{"inode":N,"size":N,"modifiedNs":N}}]}}.
 */
final class DatabaseSourcesFile {
  static final String NAME = ".database-sources.json";
  private static final JsonFactory JSON = new JsonFactory();

  private DatabaseSourcesFile() {}

  /** Records {@code snapshots} as those of {@code backup} (a complete backup folder in {@code dest}). */
  static void write(Path dest, Path backup, List<DatabaseSnapshot> snapshots) throws IOException {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("schema", 1);
      g.writeStringField("backup", backup.getFileName().toString());
      g.writeArrayFieldStart("databases");
      for (DatabaseSnapshot s : snapshots) {
        g.writeStartObject();
        g.writeStringField("path", s.rel().toString());
        g.writeObjectFieldStart("source");
        for (Map.Entry<String, FileState> e : s.source().entrySet()) {
          g.writeFieldName(e.getKey());
          FileState f = e.getValue();
          if (f == null) {
            g.writeNull();
          } else {
            g.writeStartObject();
            g.writeNumberField("inode", f.inode());
            g.writeNumberField("size", f.size());
            g.writeNumberField("modifiedNs", f.modified().to(TimeUnit.NANOSECONDS));
            g.writeNumberField("changedNs", f.changed().to(TimeUnit.NANOSECONDS));
            g.writeEndObject();
          }
        }
        g.writeEndObject();
        g.writeObjectFieldStart("copy");
        g.writeNumberField("inode", s.copy().inode());
        g.writeNumberField("size", s.copy().size());
        g.writeNumberField("modifiedNs", s.copy().modified().to(TimeUnit.NANOSECONDS));
        g.writeEndObject();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    AtomicFile.write(dest.resolve(NAME), (out + "\n").getBytes(StandardCharsets.UTF_8), AtomicFile.MODE_0644);
  }

  /** Removes the record: a backup that could not write it must not leave the older one in force. */
  static void delete(Path dest) throws IOException {
    Files.deleteIfExists(dest.resolve(NAME));
  }

  /**
   * The snapshots recorded for {@code previous}, by database; empty when there is no record, it is
   * of another backup, or it cannot be read as schema 1 (then every database is simply copied).
   */
  static Map<Path, DatabaseSnapshot> readFor(Path dest, Path previous) {
    Path file = dest.resolve(NAME);
    if (!Files.isRegularFile(file)) {
      return Map.of();
    }
    try (JsonParser p = JSON.createParser(file.toFile())) {
      return parse(p, previous.getFileName().toString());
    } catch (IOException | RuntimeException damaged) {
      return Map.of();
    }
  }

  private static Map<Path, DatabaseSnapshot> parse(JsonParser p, String previous) throws IOException {
    expect(p.nextToken(), JsonToken.START_OBJECT);
    int schema = 0;
    String backup = null;
    Map<Path, DatabaseSnapshot> m = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      switch (name) {
        case "schema" -> schema = p.getIntValue();
        case "backup" -> backup = p.getValueAsString();
        case "databases" -> {
          expect(value, JsonToken.START_ARRAY);
          while (p.nextToken() == JsonToken.START_OBJECT) {
            DatabaseSnapshot s = snapshot(p);
            m.put(s.rel(), s);
          }
        }
        default -> p.skipChildren();
      }
    }
    return schema == 1 && previous.equals(backup) ? m : Map.of();
  }

  private static DatabaseSnapshot snapshot(JsonParser p) throws IOException {
    Path rel = null;
    Map<String, FileState> source = new LinkedHashMap<>();
    DatabaseSnapshot.CopyIdentity copy = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      switch (name) {
        case "path" -> rel = Path.of(p.getText());
        case "source" -> {
          expect(value, JsonToken.START_OBJECT);
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String suffix = p.currentName();
            source.put(suffix, p.nextToken() == JsonToken.VALUE_NULL ? null : fileState(p));
          }
        }
        case "copy" -> {
          Map<String, Long> f = numbers(p, value);
          copy = new DatabaseSnapshot.CopyIdentity(f.get("inode"), f.get("size"), nanos(f.get("modifiedNs")));
        }
        default -> p.skipChildren();
      }
    }
    if (rel == null || rel.isAbsolute() || source.get("") == null) {
      throw new IOException("a database without its path or its own state");
    }
    return new DatabaseSnapshot(rel, source, copy);
  }

  private static FileState fileState(JsonParser p) throws IOException {
    Map<String, Long> f = numbers(p, p.currentToken());
    return new FileState(f.get("inode"), f.get("size"), nanos(f.get("modifiedNs")), nanos(f.get("changedNs")));
  }

  /** An object of whole numbers; a missing one is then a NullPointerException: a damaged record. */
  private static Map<String, Long> numbers(JsonParser p, JsonToken start) throws IOException {
    expect(start, JsonToken.START_OBJECT);
    Map<String, Long> m = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      expect(p.nextToken(), JsonToken.VALUE_NUMBER_INT);
      m.put(name, p.getLongValue());
    }
    return m;
  }

  private static FileTime nanos(long n) {
    return FileTime.from(n, TimeUnit.NANOSECONDS);
  }

  private static void expect(JsonToken found, JsonToken wanted) throws IOException {
    if (found != wanted) {
      throw new IOException("expected " + wanted + ", found " + found);
    }
  }
}
