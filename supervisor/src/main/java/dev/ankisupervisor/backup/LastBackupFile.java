package dev.ankisupervisor.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ankisupervisor.files.AtomicFile;
import java.io.IOException;
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
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What doctor needs from the file. */
  public record LastBackup(boolean ok, Instant finishedAt, Optional<Instant> lastSuccessAt, Optional<String> error) {}

  private LastBackupFile() {}

  static void writeSuccess(Path dest, BackupResult result) throws IOException {
    ObjectNode n = JSON.createObjectNode();
    n.put("schema", 1);
    n.put("ok", true);
    n.put("finishedAt", result.finishedAt().toString());
    n.set("result", JSON.valueToTree(result.toMap()));
    n.putNull("error");
    n.put("lastSuccessAt", result.finishedAt().toString());
    n.put("lastSuccessPath", result.path().toString());
    write(dest, n);
  }

  static void writeFailure(Path dest, Instant at, BackupException.Kind kind, String message) throws IOException {
    ObjectNode n = JSON.createObjectNode();
    n.put("schema", 1);
    n.put("ok", false);
    n.put("finishedAt", at.toString());
    n.putNull("result");
    ObjectNode err = n.putObject("error");
    err.put("kind", kind.name().toLowerCase(java.util.Locale.ROOT));
    err.put("message", message);
    JsonNode old;
    try {
      old = readTree(dest.resolve(NAME)).orElse(null);
    } catch (IOException unreadable) {
      old = null; // a damaged file is replaced; the last success is then unknown
    }
    n.set("lastSuccessAt", old == null ? JSON.nullNode() : old.path("lastSuccessAt"));
    n.set("lastSuccessPath", old == null ? JSON.nullNode() : old.path("lastSuccessPath"));
    write(dest, n);
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
    Optional<JsonNode> tree = readTree(file);
    if (tree.isEmpty()) {
      return Optional.empty();
    }
    JsonNode n = tree.get();
    if (n.path("schema").asInt() != 1 || !n.hasNonNull("finishedAt")) {
      throw new IOException(file + " is not a schema-1 last-backup.json");
    }
    return Optional.of(new LastBackup(
        n.path("ok").asBoolean(),
        Instant.parse(n.get("finishedAt").asText()),
        n.hasNonNull("lastSuccessAt") ? Optional.of(Instant.parse(n.get("lastSuccessAt").asText())) : Optional.empty(),
        n.path("error").hasNonNull("message") ? Optional.of(n.path("error").get("message").asText()) : Optional.empty()));
  }

  private static Optional<JsonNode> readTree(Path file) throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    JsonNode n = JSON.readTree(file.toFile());
    return Optional.ofNullable(n != null && n.isObject() ? n : null);
  }

  private static void write(Path dest, ObjectNode n) throws IOException {
    AtomicFile.write(dest.resolve(NAME), (JSON.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8),
        AtomicFile.MODE_0644);
  }

}
