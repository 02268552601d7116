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
import java.time.Instant;
import java.util.Optional;

/**
 * {@code <dest>/last-backup.json}: the result of the last backup run, written atomically (temp file
 * in the same folder, fsync, rename, fsync folder) so a reader (doctor, monitoring) never sees half
 * a file. Schema 1:
 * {@code {"schema":1,"ok":true,"finishedAt":"...","result":{...}|null,"error":null|{"kind","message"},
 * "lastSuccessAt":"..."|null,"lastSuccessPath":"..."|null}}. A failed run keeps the last success.
 * One writer at a time (the backup holds the destination's lock); any thread may read.
 */
public final class LastBackupFile {
  public static final String NAME = "last-backup.json";
  /** jackson-core's streaming parser and generator: the object mapper would load several hundred classes. */
  private static final JsonFactory JSON = new JsonFactory();

  /** What doctor needs from the file. */
  public record LastBackup(boolean ok, Instant finishedAt, Optional<Instant> lastSuccessAt, Optional<String> error) {}

  /** The top-level fields a reader uses, as the file holds them (strings, or null when absent or null). */
  private record Fields(int schema, boolean ok, String finishedAt, String lastSuccessAt, String lastSuccessPath,
      String errorMessage) {}

  /** Writes the fields of the file's object. */
  @FunctionalInterface
  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private LastBackupFile() {}

  static void writeSuccess(Path dest, BackupResult result) throws IOException {
    write(dest, g -> {
      g.writeNumberField("schema", 1);
      g.writeBooleanField("ok", true);
      g.writeStringField("finishedAt", result.finishedAt().toString());
      g.writeFieldName("result");
      result.writeTo(g);
      g.writeNullField("error");
      g.writeStringField("lastSuccessAt", result.finishedAt().toString());
      g.writeStringField("lastSuccessPath", result.path().toString());
    });
  }

  static void writeFailure(Path dest, Instant at, BackupException.Kind kind, String message) throws IOException {
    Fields old;
    try {
      old = readFields(dest.resolve(NAME)).orElse(null);
    } catch (IOException unreadable) {
      old = null; // a damaged file is replaced; the last success is then unknown
    }
    Fields last = old;
    write(dest, g -> {
      g.writeNumberField("schema", 1);
      g.writeBooleanField("ok", false);
      g.writeStringField("finishedAt", at.toString());
      g.writeNullField("result");
      g.writeObjectFieldStart("error");
      g.writeStringField("kind", kind.name().toLowerCase(java.util.Locale.ROOT));
      g.writeStringField("message", message);
      g.writeEndObject();
      writeNullable(g, "lastSuccessAt", last == null ? null : last.lastSuccessAt());
      writeNullable(g, "lastSuccessPath", last == null ? null : last.lastSuccessPath());
    });
  }

  private static void writeNullable(JsonGenerator g, String field, String value) throws IOException {
    if (value == null) {
      g.writeNullField(field);
    } else {
      g.writeStringField(field, value);
    }
  }

  /**
   * Removes the file when it could not be rewritten (a full disk): a reader must not take the
   * previous result for this run's. Removing needs no free space. Returns what happened, for the
   * message.
   */
  static String discard(Path dest) {
    Path file = dest.resolve(NAME);
    try {
      Files.deleteIfExists(file);
      return "the earlier " + NAME + " was removed so that its result does not pass for this run's";
    } catch (IOException e) {
      return "the earlier " + NAME + " could not be removed either (" + e.getMessage() + "): it no longer tells"
          + " the last run";
    }
  }

  /** Reads the file; empty when it does not exist. Throws when it exists but is not schema 1. */
  public static Optional<LastBackup> read(Path file) throws IOException {
    Optional<Fields> fields = readFields(file);
    if (fields.isEmpty()) {
      return Optional.empty();
    }
    Fields f = fields.get();
    if (f.schema() != 1 || f.finishedAt() == null) {
      throw new IOException(file + " is not a schema-1 last-backup.json");
    }
    return Optional.of(new LastBackup(f.ok(), Instant.parse(f.finishedAt()),
        Optional.ofNullable(f.lastSuccessAt()).map(Instant::parse), Optional.ofNullable(f.errorMessage())));
  }

  /** The top-level fields; empty when the file is missing, empty or not a JSON object; throws when it is no JSON. */
  private static Optional<Fields> readFields(Path file) throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try (JsonParser p = JSON.createParser(file.toFile())) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return Optional.empty();
      }
      int schema = 0;
      boolean ok = false;
      String finishedAt = null;
      String lastSuccessAt = null;
      String lastSuccessPath = null;
      String errorMessage = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        switch (name) {
          case "schema" -> schema = p.getValueAsInt();
          case "ok" -> ok = p.getValueAsBoolean();
          case "finishedAt" -> finishedAt = scalar(p, value);
          case "lastSuccessAt" -> lastSuccessAt = scalar(p, value);
          case "lastSuccessPath" -> lastSuccessPath = scalar(p, value);
          case "error" -> errorMessage = value == JsonToken.START_OBJECT ? messageOf(p) : null;
          default -> { }
        }
        p.skipChildren();
      }
      return Optional.of(new Fields(schema, ok, finishedAt, lastSuccessAt, lastSuccessPath, errorMessage));
    }
  }

  /** A scalar's text (a number's too); null for null, an object or an array. */
  private static String scalar(JsonParser p, JsonToken value) throws IOException {
    return value.isScalarValue() && value != JsonToken.VALUE_NULL ? p.getValueAsString() : null;
  }

  /** The {@code message} of the error object the parser is at (it ends at the object's end). */
  private static String messageOf(JsonParser p) throws IOException {
    String message = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if (name.equals("message")) {
        message = scalar(p, value);
      }
      p.skipChildren();
    }
    return message;
  }

  private static void write(Path dest, Body body) throws IOException {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      body.write(g);
      g.writeEndObject();
    }
    AtomicFile.write(dest.resolve(NAME), (out + "\n").getBytes(StandardCharsets.UTF_8), AtomicFile.MODE_0644);
  }
}
