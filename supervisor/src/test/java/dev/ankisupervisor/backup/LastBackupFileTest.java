package dev.ankisupervisor.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * last-backup.json and the summary line, written with jackson-core's generator, are byte for byte what
 * the object mapper wrote before (readers and scripts see no change), and read back the same.
 */
class LastBackupFileTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final BackupResult RESULT = new BackupResult(Path.of("/backups/20261207T010203Z"),
      Instant.parse("2026-12-07T01:02:05.123456Z"), 3004, 3000, 2, 1, 155_000_000L, 600_000_000L, 1346,
      List.of("20261130T010203Z", "a \"quoted\" \\ name/é"));

  @TempDir Path dest;

  /** The summary object as the object mapper wrote it from the result's fields. */
  private static ObjectNode mapperResult() {
    ObjectNode r = MAPPER.createObjectNode();
    r.put("path", RESULT.path().toString());
    r.put("finishedAt", RESULT.finishedAt().toString());
    r.put("files", RESULT.files());
    r.put("filesLinked", RESULT.filesLinked());
    r.put("databases", RESULT.databases());
    r.put("passes", RESULT.passes());
    r.put("bytesCopied", RESULT.bytesCopied());
    r.put("bytesLinked", RESULT.bytesLinked());
    r.put("durationMs", RESULT.durationMs());
    RESULT.deleted().forEach(r.putArray("deleted")::add);
    return r;
  }

  @Test
  void theSummaryLineIsTheMappersLine() throws Exception {
    assertThat(RESULT.toJson()).isEqualTo(MAPPER.writeValueAsString(mapperResult()));
  }

  @Test
  void aSuccessIsWrittenAsBeforeAndReadBack() throws Exception {
    LastBackupFile.writeSuccess(dest, RESULT);
    ObjectNode n = MAPPER.createObjectNode();
    n.put("schema", 1);
    n.put("ok", true);
    n.put("finishedAt", RESULT.finishedAt().toString());
    n.set("result", mapperResult());
    n.putNull("error");
    n.put("lastSuccessAt", RESULT.finishedAt().toString());
    n.put("lastSuccessPath", RESULT.path().toString());
    assertThat(Files.readString(dest.resolve(LastBackupFile.NAME))).isEqualTo(MAPPER.writeValueAsString(n) + "\n");
    assertThat(LastBackupFile.read(dest.resolve(LastBackupFile.NAME))).contains(new LastBackupFile.LastBackup(true,
        RESULT.finishedAt(), Optional.of(RESULT.finishedAt()), Optional.empty()));
  }

  @Test
  void aFailureKeepsTheLastSuccessAndSaysWhy() throws Exception {
    LastBackupFile.writeSuccess(dest, RESULT);
    Instant at = Instant.parse("2026-12-08T01:00:00Z");
    LastBackupFile.writeFailure(dest, at, BackupException.Kind.IO, "disk full\nline two");
    ObjectNode n = MAPPER.createObjectNode();
    n.put("schema", 1);
    n.put("ok", false);
    n.put("finishedAt", at.toString());
    n.putNull("result");
    ObjectNode err = n.putObject("error");
    err.put("kind", "io");
    err.put("message", "disk full\nline two");
    n.put("lastSuccessAt", RESULT.finishedAt().toString());
    n.put("lastSuccessPath", RESULT.path().toString());
    assertThat(Files.readString(dest.resolve(LastBackupFile.NAME))).isEqualTo(MAPPER.writeValueAsString(n) + "\n");
    assertThat(LastBackupFile.read(dest.resolve(LastBackupFile.NAME))).contains(new LastBackupFile.LastBackup(false, at,
        Optional.of(RESULT.finishedAt()), Optional.of("disk full\nline two")));
  }

  @Test
  void aFirstFailureHasNoLastSuccess() throws Exception {
    Instant at = Instant.parse("2026-12-08T01:00:00Z");
    LastBackupFile.writeFailure(dest, at, BackupException.Kind.SOURCE_REFUSED, "empty");
    assertThat(Files.readString(dest.resolve(LastBackupFile.NAME))).isEqualTo("{\"schema\":1,\"ok\":false,\"finishedAt\":"
        + "\"2026-12-08T01:00:00Z\",\"result\":null,\"error\":{\"kind\":\"source_refused\",\"message\":\"empty\"},"
        + "\"lastSuccessAt\":null,\"lastSuccessPath\":null}\n");
    assertThat(LastBackupFile.read(dest.resolve(LastBackupFile.NAME)).orElseThrow().lastSuccessAt()).isEmpty();
  }

  @Test
  void aFileOfAnotherShapeIsRefusedOrIgnoredAsBefore() throws Exception {
    Path file = dest.resolve(LastBackupFile.NAME);
    Files.writeString(file, "[1, 2]");
    assertThat(LastBackupFile.read(file)).isEmpty();
    Files.writeString(file, "{\"schema\": 2, \"finishedAt\": \"2026-12-08T01:00:00Z\"}");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> LastBackupFile.read(file))
        .hasMessageContaining("not a schema-1");
    Files.writeString(file, "{\"schema\": 1");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> LastBackupFile.read(file))
        .isInstanceOf(java.io.IOException.class);
  }
}
