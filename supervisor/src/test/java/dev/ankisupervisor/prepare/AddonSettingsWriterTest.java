package dev.ankisupervisor.prepare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ankisupervisor.config.AnkiSettings;
import dev.ankisupervisor.config.BindSpec;
import dev.ankisupervisor.config.ConfigApiSettings;
import dev.ankisupervisor.config.ConnectSettings;
import dev.ankisupervisor.config.Secret;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AddonSettingsWriterTest {
  @TempDir Path base;

  private AnkiSettings anki() {
    return new AnkiSettings(base, "server", "en_US", List.of("anki"), AnkiSettings.ANKICONNECT_ADDON_ID);
  }

  private static ConnectSettings connect(Optional<Secret> key) throws Exception {
    return new ConnectSettings(new BindSpec.Tailscale("tailscale0", false), 8765, key, List.of("http://localhost", "app://x"),
        new ConfigApiSettings(true, List.of("sup."), 1000), false);
  }

  private Path meta() {
    return base.resolve("addons21/2055492159/meta.json");
  }

  @Test
  void mergesOurSettingsKeepingUnrelatedKeysAndMakesTheFilePrivateWithAKey() throws Exception {
    Files.createDirectories(meta().getParent());
    Files.writeString(meta(), "{\"name\": \"AnkiConnect\", \"mod\": 1700000000, \"config\": {\"apiLogPath\": null,"
        + " \"ignoreOriginList\": [\"x\"], \"webBindPort\": 1, \"configApi\": {\"future\": 3}}}");
    Files.setPosixFilePermissions(meta(), PosixFilePermissions.fromString("rw-r--r--"));

    boolean written = new AddonSettingsWriter().write(anki(), connect(Optional.of(new Secret("k3y"))), InetAddress.getByName("100.64.1.2"));

    assertThat(written).isTrue();
    JsonNode root = new ObjectMapper().readTree(meta().toFile());
    assertThat(root.get("name").asText()).isEqualTo("AnkiConnect");
    assertThat(root.get("mod").asLong()).isEqualTo(1700000000L);
    JsonNode config = root.get("config");
    assertThat(config.get("apiLogPath").isNull()).isTrue();
    assertThat(config.get("ignoreOriginList").toString()).isEqualTo("[\"x\"]");
    assertThat(config.get("webBindAddress").asText()).isEqualTo("100.64.1.2");
    assertThat(config.get("webBindPort").asInt()).isEqualTo(8765);
    assertThat(config.get("apiKey").asText()).isEqualTo("k3y");
    assertThat(config.get("webCorsOriginList").toString()).isEqualTo("[\"http://localhost\",\"app://x\"]");
    assertThat(config.get("configApi").toString()).isEqualTo("{\"future\":3,\"enable\":true,\"allowedKeyPrefixes\":[\"sup.\"],\"maxValueBytes\":1000}");
    assertThat(Files.getPosixFilePermissions(meta())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void writesANewMetaJsonWithNullKeyAndThenLeavesItAlone() throws Exception {
    Files.createDirectories(meta().getParent());

    assertThat(new AddonSettingsWriter().write(anki(), connect(Optional.empty()), InetAddress.getByName("127.0.0.1"))).isTrue();
    byte[] first = Files.readAllBytes(meta());
    assertThat(new AddonSettingsWriter().write(anki(), connect(Optional.empty()), InetAddress.getByName("127.0.0.1"))).isFalse();

    assertThat(Files.readAllBytes(meta())).isEqualTo(first);
    assertThat(new ObjectMapper().readTree(first).at("/config/apiKey").isNull()).isTrue();
    try (var files = Files.list(meta().getParent())) {
      assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("meta.json");
    }
  }

  @Test
  void aMissingAddonFolderIsAConfigErrorNamingTheFolderAndTheFix() {
    assertThatThrownBy(() -> new AddonSettingsWriter().write(anki(), connect(Optional.empty()), InetAddress.getByName("127.0.0.1")))
        .isInstanceOfSatisfying(PrepareException.class, e -> assertThat(e.kind()).isEqualTo(PrepareException.Kind.CONFIG))
        .hasMessageContaining(base.resolve("addons21/2055492159").toString())
        .hasMessageContaining("install AnkiConnect (add-on 2055492159)");
  }

  @Test
  void aMetaJsonThatIsNotAnObjectIsADataErrorAndIsKept() throws Exception {
    Files.createDirectories(meta().getParent());
    Files.writeString(meta(), "[1, 2]");

    assertThatThrownBy(() -> new AddonSettingsWriter().write(anki(), connect(Optional.empty()), InetAddress.getByName("127.0.0.1")))
        .isInstanceOfSatisfying(PrepareException.class, e -> assertThat(e.kind()).isEqualTo(PrepareException.Kind.DATA))
        .hasMessageContaining("not an object");
    assertThat(Files.readString(meta(), StandardCharsets.UTF_8)).isEqualTo("[1, 2]");
  }

  @Test
  void theKeyNeverReachesTheExceptionOrTheSettingsRecordText() throws Exception {
    ConnectSettings c = connect(Optional.of(new Secret("very-secret-key")));
    assertThat(c.toString()).doesNotContain("very-secret-key");
    assertThatThrownBy(() -> new AddonSettingsWriter().write(anki(), c, InetAddress.getByName("127.0.0.1")))
        .hasMessageNotContaining("very-secret-key");
  }
}
