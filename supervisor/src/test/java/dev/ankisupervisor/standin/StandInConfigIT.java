package dev.ankisupervisor.standin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ankisupervisor.testing.AddonDir;
import dev.ankisupervisor.testing.FreePort;
import dev.ankisupervisor.testing.Prefs;
import dev.ankisupervisor.testing.StandInAnkiProcess;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our patch P1 (getConfig/setConfig) in a real stand-in Anki with ANKI_STANDIN_PATCHES=config-actions. */
class StandInConfigIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String ENABLED =
      "{\"configApi\": {\"enable\": true, \"allowedKeyPrefixes\": [\"supervisor.\", \"x\"], \"maxValueBytes\": 16}}";

  @TempDir Path base;
  private StandInAnkiProcess anki;

  @AfterEach
  void stop() {
    if (anki != null) {
      anki.close();
    }
  }

  private void start(Prefs prefs, String metaConfig, String... env) throws Exception {
    int port = FreePort.find();
    prefs.write(base);
    AddonDir.write(base, port);
    if (metaConfig != null) {
      AddonDir.writeMetaConfig(base, metaConfig);
    }
    StandInAnkiProcess.Builder b = StandInAnkiProcess.builder(base).port(port).env("ANKI_STANDIN_PATCHES", "config-actions");
    for (int i = 0; i < env.length; i += 2) {
      b.env(env[i], env[i + 1]);
    }
    anki = b.start();
    anki.waitForApi(WAIT);
  }

  private void startOpen(String metaConfig, String... env) throws Exception {
    start(Prefs.seed("server"), metaConfig, env);
    anki.waitForOutput("ready: profile server open", WAIT);
  }

  private JsonNode call(String action, String params) throws Exception {
    return JSON.readTree(anki.callAction(action, params));
  }

  private String error(String action, String params) throws Exception {
    return call(action, params).path("error").asText();
  }

  @Test
  void storesAndReadsAnyJsonUnderAnAllowedKey() throws Exception {
    startOpen(ENABLED.replace("16", "65536"));
    assertThat(call("getConfig", "{\"key\":\"supervisor.a\"}").toString()).isEqualTo("{\"result\":null,\"error\":null}");
    String value = "{\"n\":[1,2.5,null,true],\"s\":\"Grüße 😀\"}";
    assertThat(call("setConfig", "{\"key\":\"supervisor.a\",\"val\":" + value + "}").toString())
        .isEqualTo("{\"result\":true,\"error\":null}");
    assertThat(call("getConfig", "{\"key\":\"supervisor.a\"}").path("result")).isEqualTo(JSON.readTree(value));
    call("setConfig", "{\"key\":\"supervisor.a\",\"val\":7}");
    assertThat(call("getConfig", "{\"key\":\"supervisor.a\"}").path("result").asInt()).isEqualTo(7);
  }

  @Test
  void everyErrorComesInP1sOrder() throws Exception {
    startOpen("{\"configApi\": {\"enable\": false, \"allowedKeyPrefixes\": [\"supervisor.\"]}}");
    // Disabled beats a bad key and a bad prefix.
    assertThat(error("getConfig", "{\"key\":\"\"}")).isEqualTo("config api is disabled");
    assertThat(error("setConfig", "{\"key\":\"other\",\"val\":1}")).isEqualTo("config api is disabled");

    // A1: the add-on config is read again on every call.
    AddonDir.writeMetaConfig(base, ENABLED);
    assertThat(error("getConfig", "{\"key\":\"\"}")).isEqualTo("config key must be a non-empty string");
    assertThat(error("setConfig", "{\"key\":5,\"val\":1}")).isEqualTo("config key must be a non-empty string");
    assertThat(error("setConfig", "{\"key\":null,\"val\":\"" + "z".repeat(100) + "\"}"))
        .isEqualTo("config key must be a non-empty string");
    assertThat(error("getConfig", "{\"key\":\"other.k\"}")).isEqualTo("config key is not allowed");
    assertThat(error("setConfig", "{\"key\":\"other.k\",\"val\":\"" + "z".repeat(100) + "\"}"))
        .isEqualTo("config key is not allowed");
    // N = len(json.dumps(val, separators=(",", ":"), ensure_ascii=False).encode("utf-8")).
    assertThat(error("setConfig", "{\"key\":\"supervisor.k\",\"val\":\"0123456789abcdef\"}"))
        .isEqualTo("config value is too large (18 bytes > 16)");
  }

  @Test
  void sizeCountsUtf8BytesOfCompactJson() throws Exception {
    startOpen(ENABLED);
    // "ééééééé" is 7 two-byte chars + 2 quotes = 16 bytes: allowed at exactly the limit.
    assertThat(call("setConfig", "{\"key\":\"supervisor.k\",\"val\":\"ééééééé\"}").path("result").asBoolean()).isTrue();
    // One more é: 18 bytes.
    assertThat(error("setConfig", "{\"key\":\"supervisor.k\",\"val\":\"éééééééé\"}"))
        .isEqualTo("config value is too large (18 bytes > 16)");
    // Compact separators, no spaces: {"a" : [1, 2]} counts as {"a":[1,2]} (11 bytes), an emoji as 4.
    assertThat(call("setConfig", "{\"key\":\"supervisor.k\",\"val\":{\"a\" : [1, 2]}}").path("result").asBoolean()).isTrue();
    assertThat(error("setConfig", "{\"key\":\"supervisor.k\",\"val\":{\"a\" : [1, 2, \"😀\"]}}"))
        .isEqualTo("config value is too large (18 bytes > 16)");
    // Control characters are escaped as Python does: a newline as 2 bytes, U+0001 as 6.
    assertThat(call("setConfig", "{\"key\":\"supervisor.k\",\"val\":\"\\n\\n\\n\\n\\n\\n\\n\"}").path("result").asBoolean()).isTrue();
    assertThat(error("setConfig", "{\"key\":\"supervisor.k\",\"val\":\"\\n\\n\\n\\n\\n\\n\\n\\n\"}"))
        .isEqualTo("config value is too large (18 bytes > 16)");
    assertThat(error("setConfig", "{\"key\":\"supervisor.k\",\"val\":\"\\u0001\\u0001\\u0001\"}"))
        .isEqualTo("config value is too large (20 bytes > 16)");
  }

  @Test
  void breakKnobLetsAnyKeyThrough() throws Exception {
    startOpen(ENABLED, "ANKI_STANDIN_BREAK_CONFIG_PREFIX_RULE", "1");
    assertThat(call("setConfig", "{\"key\":\"anything\",\"val\":1}").path("result").asBoolean()).isTrue();
    assertThat(call("getConfig", "{\"key\":\"anything\"}").path("result").asInt()).isEqualTo(1);
  }

  @Test
  void needsAnOpenCollection() throws Exception {
    // Two profiles and none last loaded: the profile chooser, no collection (C3).
    start(Prefs.empty().profile("a").profile("b"), ENABLED);
    assertThat(error("getConfig", "{\"key\":\"supervisor.a\"}")).isEqualTo("collection is not available");
    assertThat(error("setConfig", "{\"key\":\"supervisor.a\",\"val\":1}")).isEqualTo("collection is not available");
    // The config checks come first.
    assertThat(error("getConfig", "{\"key\":\"nope\"}")).isEqualTo("config key is not allowed");
  }

  @Test
  void pythonArgumentErrorsForMissingParams() throws Exception {
    startOpen(ENABLED);
    assertThat(error("getConfig", "{}")).isEqualTo("AnkiConnect.getConfig() missing 1 required positional argument: 'key'");
    assertThat(error("setConfig", "{\"key\":\"supervisor.a\"}"))
        .isEqualTo("AnkiConnect.setConfig() missing 1 required positional argument: 'val'");
  }
}
