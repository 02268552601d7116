package dev.ankisupervisor.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ankisupervisor.ankiconnect.Patch;
import dev.ankisupervisor.standin.syncserver.SyncServerProcess;
import dev.ankisupervisor.testing.AddonDir;
import dev.ankisupervisor.testing.FreePort;
import dev.ankisupervisor.testing.Prefs;
import dev.ankisupervisor.testing.StandInAnkiProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every error text our Python patches raise (read from patches/*.patch) is the text the patched
 * stand-in answers for the same situation (P1, P2), so a check or a sync that passes against the
 * stand-in sees what the real add-on says.
 */
class PatchTextsAgreeIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern RAISE = Pattern.compile("raise Exception\\('([^']*)'\\)");
  private static final Pattern RAISE_FORMAT = Pattern.compile("raise Exception\\('([^']*)'\\.format\\(");

  @TempDir Path base;
  @TempDir Path syncBase;
  private StandInAnkiProcess anki;
  private SyncServerProcess server;

  @AfterEach
  void killAll() throws Exception {
    if (anki != null) {
      anki.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void standInAnswersEveryErrorTextThePatchesRaise() throws Exception {
    Set<String> raised = new TreeSet<>();
    for (Patch p : Patch.values()) {
      String added = String.join("\n", UnifiedDiff.read(Path.of("patches", p.fileName())).added());
      for (Pattern pattern : new Pattern[] {RAISE, RAISE_FORMAT}) {
        Matcher m = pattern.matcher(added);
        while (m.find()) {
          raised.add(m.group(1));
        }
      }
    }
    Set<String> seen = new TreeSet<>();

    server = SyncServerProcess.start(syncBase, Map.of("SYNC_USER1", "alice:pw"));
    int port = FreePort.find();
    Prefs.seed("server")
        .profileValue("server", "syncKey", SyncServerProcess.hostKey("alice:pw"))
        .profileValue("server", "syncUser", "alice")
        .profileValue("server", "customSyncUrl", server.url())
        .write(base);
    AddonDir.write(base, port);
    AddonDir.writeMetaConfig(base, "{\"configApi\": {\"enable\": false, \"allowedKeyPrefixes\": [\"app.\"]}}");
    anki = StandInAnkiProcess.builder(base).port(port).env("ANKI_STANDIN_PATCHES", "config-actions,headless-sync").start();
    anki.waitForApi(WAIT);
    anki.waitForOutput("ready: profile server open", WAIT);

    seen.add(error("getConfig", "{\"key\": \"app.x\"}"));
    // the setting is read on every call: enabling it needs no restart (P1)
    AddonDir.writeMetaConfig(base, "{\"configApi\": {\"enable\": true, \"allowedKeyPrefixes\": [\"app.\"], \"maxValueBytes\": 10}}");
    seen.add(error("getConfig", "{\"key\": \"\"}"));
    assertThat(error("setConfig", "{\"key\": 5, \"val\": 1}")).isEqualTo("config key must be a non-empty string");
    seen.add(error("setConfig", "{\"key\": \"other\", \"val\": 1}"));
    // "ééééé" is 12 bytes of compact UTF-8 JSON: five 2-byte letters and two quotes
    String tooLarge = error("setConfig", "{\"key\": \"app.k\", \"val\": \"\u00e9\u00e9\u00e9\u00e9\u00e9\"}");
    assertThat(tooLarge).isEqualTo("config value is too large (12 bytes > 10)");
    seen.add(tooLarge.replace("12", "{}").replace("10", "{}"));

    seen.add(error("fullSync", "{\"direction\": \"sideways\"}"));
    // a fresh profile and an empty server need nothing (C8), so neither full transfer goes without force
    assertThat(result("headlessSync", "{}").get("required").asText()).isEqualTo("no_changes");
    seen.add(error("fullSync", "{\"direction\": \"download\"}"));
    assertThat(error("fullSync", "{\"direction\": \"upload\", \"force\": false}"))
        .isEqualTo("full sync would overwrite data; pass force to confirm");
    assertThat(result("fullSync", "{\"direction\": \"upload\", \"force\": true}").get("direction").asText()).isEqualTo("upload");

    // without a sync key: stock sync's text
    anki.close();
    Prefs.seed("server").write(base);
    anki = StandInAnkiProcess.builder(base).port(port).env("ANKI_STANDIN_PATCHES", "config-actions,headless-sync").start();
    anki.waitForApi(WAIT);
    anki.waitForOutput("ready: profile server open", WAIT);
    seen.add(error("headlessSync", "{}"));

    assertThat(seen).isEqualTo(raised);
  }

  private String error(String action, String params) throws Exception {
    JsonNode reply = JSON.readTree(anki.callAction(action, params));
    assertThat(reply.get("error").isNull()).as("%s %s must fail: %s", action, params, reply).isFalse();
    return reply.get("error").asText();
  }

  private JsonNode result(String action, String params) throws Exception {
    JsonNode reply = JSON.readTree(anki.callAction(action, params));
    assertThat(reply.get("error").isNull()).as("%s %s: %s", action, params, reply).isTrue();
    return reply.get("result");
  }
}
