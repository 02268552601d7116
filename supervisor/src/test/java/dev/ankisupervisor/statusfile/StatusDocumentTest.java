package dev.ankisupervisor.statusfile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.ankisupervisor.config.AnkiSettings;
import dev.ankisupervisor.config.BindSpec;
import dev.ankisupervisor.config.ConfigApiSettings;
import dev.ankisupervisor.config.ConnectSettings;
import dev.ankisupervisor.config.RestartSettings;
import dev.ankisupervisor.config.Secret;
import dev.ankisupervisor.config.SupervisorSettings;
import dev.ankisupervisor.config.SyncSettings;
import dev.ankisupervisor.model.ExitReason;
import dev.ankisupervisor.model.SyncState;
import dev.ankisupervisor.os.ProcessIdentity;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusDocumentTest {
  private static final String KEY = "api-key-0123456789";
  private static final String PASSWORD = "correct horse battery staple";

  static SupervisorSettings settingsWithSecrets() throws Exception {
    return new SupervisorSettings(
        new AnkiSettings(Path.of("/var/lib/anki"), "server", "en_US", List.of("anki"), "2055492159"),
        new ConnectSettings(new BindSpec.Fixed(InetAddress.getByName("100.64.0.1")), 8765,
            Optional.of(new Secret(KEY)), List.of(), ConfigApiSettings.DISABLED, false),
        new SyncSettings(Optional.of("http://sync:27701"), Optional.of("alice"), Optional.of(new Secret(PASSWORD)),
            Duration.ofMinutes(5), true),
        RestartSettings.DEFAULT, Path.of("/var/lib/anki"), Path.of("/var/lib/anki/sync-status.json"),
        Optional.empty(), Duration.ofSeconds(180), Duration.ofSeconds(60), Duration.ofSeconds(120),
        Duration.ofSeconds(30), 3);
  }

  @Test
  void documentBuiltFromSettingsHoldsNoSecret() throws Exception {
    StatusDocument doc = StatusDocument.initial(settingsWithSecrets(), ProcessIdentity.recorded(42, 7), "0.1.0", Documents.T0);
    String json = new String(StatusJson.toBytes(doc), StandardCharsets.UTF_8);
    String hostKey = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
        .digest(("alice:" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
    assertThat(json).doesNotContain(KEY).doesNotContain(PASSWORD).doesNotContain(hostKey).doesNotContain("Secret");
    assertThat(json).contains("\"url\" : \"http://100.64.0.1:8765/\"", "\"profile\" : \"server\"",
        "\"state\" : \"never\"", "\"intervalSeconds\" : 300");
  }

  @Test
  void jsonHasExactlyTheSchemaFieldsWithNullsAndUtcTimes() throws Exception {
    StatusDocument doc = Documents.failedSync(Documents.T0, Documents.T0.plusMillis(61_250), "full_sync_required")
        .withAnki(new AnkiView(null, "server", null, 2,
            new AnkiView.LastExit(Documents.T0, null, "SIGABRT", ExitReason.CRASHED)));
    JsonNode tree = new ObjectMapper().readTree(StatusJson.toBytes(doc));
    assertThat(fields(tree)).containsExactly("schema", "updatedAt", "supervisor", "anki", "ankiConnect", "sync");
    assertThat(fields(tree.get("supervisor"))).containsExactly("pid", "startTicks", "version", "startedAt", "state");
    assertThat(fields(tree.get("anki"))).containsExactly("pid", "profile", "readySince", "restarts", "lastExit");
    assertThat(fields(tree.get("anki").get("lastExit"))).containsExactly("at", "exitCode", "signal", "reason");
    assertThat(fields(tree.get("ankiConnect")))
        .containsExactly("url", "lastProbeAt", "lastProbeLatencyMs", "patches", "problem");
    assertThat(fields(tree.get("ankiConnect").get("patches"))).containsExactly("configApi", "headlessSync");
    assertThat(fields(tree.get("sync"))).containsExactly("state", "trigger", "lastAttemptAt", "lastFinishedAt",
        "lastDurationMs", "lastSuccessAt", "consecutiveFailures", "nextSyncAt", "intervalSeconds",
        "fullSyncDirection", "error");
    assertThat(fields(tree.get("sync").get("error"))).containsExactly("kind", "message");
    assertThat(tree.get("anki").get("pid").isNull()).isTrue();
    assertThat(tree.get("anki").get("lastExit").get("exitCode").isNull()).isTrue();
    assertThat(tree.get("schema").asInt()).isEqualTo(1);
    assertThat(tree.get("supervisor").get("startedAt").asText()).isEqualTo("2026-11-26T09:00:00Z");
    assertThat(tree.get("sync").get("lastAttemptAt").asText()).isEqualTo("2026-11-26T09:01:01.250Z");
    assertThat(tree.get("sync").get("fullSyncDirection").asText()).isEqualTo("upload");
  }

  @Test
  void readBackGivesTheSameDocument() {
    StatusDocument doc = Documents.failedSync(Documents.T0, Documents.T0.plusSeconds(90), "timeout");
    String raw = new String(StatusJson.toBytes(doc), StandardCharsets.UTF_8);
    StatusReader.Read read = StatusReader.parse(Path.of("x"), raw);
    assertThat(read).isInstanceOf(StatusReader.Parsed.class);
    assertThat(((StatusReader.Parsed) read).document()).isEqualTo(doc);
    assertThat(((StatusReader.Parsed) read).raw()).isEqualTo(raw);
  }

  /** Jackson's record mapping, as an independent oracle for what the one reader must build. */
  private static final ObjectMapper ORACLE = new ObjectMapper()
      .registerModule(new SimpleModule("rfc3339").addDeserializer(Instant.class, new JsonDeserializer<>() {
        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
          return OffsetDateTime.parse(p.getValueAsString()).toInstant();
        }
      }))
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  @Test
  void streamingReaderAgreesWithJacksonsMapperOnEveryShape() throws Exception {
    List<StatusDocument> docs = List.of(Documents.ready(Documents.T0.plusSeconds(30)),
        Documents.failedSync(Documents.T0, Documents.T0.plusMillis(61_250), "full_sync_required"),
        Documents.failedSync(Documents.T0, Documents.T0.plusSeconds(90), "auth_failed")
            .withAnki(new AnkiView(null, "Ünïcode \"quoted\"", null, 7,
                new AnkiView.LastExit(Documents.T0, 134, "SIGABRT", ExitReason.CRASHED))),
        StatusDocument.initial(settingsWithSecrets(), ProcessIdentity.recorded(42, 7), "0.1.0", Documents.T0));
    for (StatusDocument doc : docs) {
      byte[] bytes = StatusJson.toBytes(doc);
      StatusDocument byMapper = ORACLE.readValue(bytes, StatusDocument.class);
      StatusReader.Read read = StatusReader.parse(Path.of("x"), new String(bytes, StandardCharsets.UTF_8));
      assertThat(read).isInstanceOf(StatusReader.Parsed.class);
      assertThat(((StatusReader.Parsed) read).document()).isEqualTo(byMapper).isEqualTo(doc);
    }
  }

  /** The object mapper as the status file was written with it before: the writer's oracle. */
  private static final ObjectMapper WRITER_ORACLE = new ObjectMapper()
      .registerModule(new SimpleModule("rfc3339").addSerializer(Instant.class, new JsonSerializer<>() {
        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider sp) throws IOException {
          gen.writeString(StatusJson.format(value));
        }
      }))
      .enable(SerializationFeature.INDENT_OUTPUT);

  @Test
  void streamingWriterWritesTheMappersBytesForEveryShape() throws Exception {
    List<StatusDocument> docs = List.of(Documents.ready(Documents.T0.plusSeconds(30)),
        Documents.failedSync(Documents.T0, Documents.T0.plusMillis(61_250), "full_sync_required"),
        Documents.failedSync(Documents.T0, Documents.T0.plusSeconds(90), "auth_failed")
            .withAnki(new AnkiView(4242L, "Ünïcode \"quoted\" \\ </tab\t>", Documents.T0.plusNanos(1_500_000), 7,
                new AnkiView.LastExit(Documents.T0, 134, null, dev.ankisupervisor.model.ExitReason.CRASHED)))
            .withConnect(new ConnectView("http://100.64.0.1:8765/", Documents.T0, 12L,
                new dev.ankisupervisor.ankiconnect.AddonPatches(true, false), "no P2")),
        StatusDocument.initial(settingsWithSecrets(), ProcessIdentity.recorded(42, 7), "0.1.0", Documents.T0));
    for (StatusDocument doc : docs) {
      assertThat(new String(StatusJson.toBytes(doc), StandardCharsets.UTF_8))
          .isEqualTo(WRITER_ORACLE.writeValueAsString(doc) + "\n");
    }
  }

  @Test
  void streamingReaderIgnoresUnknownFieldsAndRefusesWrongTypes() {
    String raw = new String(StatusJson.toBytes(Documents.ready(Documents.T0)), StandardCharsets.UTF_8);
    assertThat(StatusReader.parse(Path.of("x"), raw.replace("\"schema\" : 1,", "\"schema\" : 1, \"future\" : [1, {}],")))
        .isInstanceOf(StatusReader.Parsed.class);
    assertThat(unusable(raw.replace("\"restarts\" : 0", "\"restarts\" : \"zero\""))).contains("does not match",
        "restarts");
    assertThat(unusable(raw.replace("\"startedAt\" : \"2026-11-26T09:00:00Z\"", "\"startedAt\" : \"yesterday\"")))
        .contains("does not match", "startedAt");
    assertThat(unusable(raw.replace("\"restarts\" : 0", "\"restarts\" : -1"))).contains("does not match");
    assertThat(unusable(raw.replace("\"state\" : \"ok\"", "\"state\" : \"dancing\""))).contains("does not match");
    assertThat(unusable(raw + "{}")).contains("is not JSON");
  }

  @Test
  void readerRejectsWhatIsNotOursOrTooNew() {
    assertThat(unusable("{not json")).contains("is not JSON");
    assertThat(unusable("[1,2]")).contains("not an anki-supervisor status file");
    assertThat(unusable("{\"hello\": 1}")).contains("not an anki-supervisor status file");
    assertThat(unusable("{\"schema\": 2, \"supervisor\": {}}")).contains("has schema 2");
    assertThat(unusable("{\"schema\": 1, \"supervisor\": {\"state\": \"dancing\"}}")).contains("does not match");
    assertThat(((StatusReader.Unusable) StatusReader.read(Path.of("/nonexistent/sync-status.json"))).reason())
        .contains("does not exist");
  }

  @Test
  void initialSyncStateIsDisabledWithIntervalZero() {
    assertThat(SyncView.initial(Duration.ZERO).state()).isEqualTo(SyncState.DISABLED);
    assertThat(SyncView.initial(Duration.ofMinutes(5)).state()).isEqualTo(SyncState.NEVER);
  }

  private static String unusable(String raw) {
    StatusReader.Read r = StatusReader.parse(Path.of("f.json"), raw);
    assertThat(r).isInstanceOf(StatusReader.Unusable.class);
    return ((StatusReader.Unusable) r).reason();
  }

  private static List<String> fields(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
