package dev.ankisupervisor.standin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ankisupervisor.testing.AddonDir;
import dev.ankisupervisor.testing.StandInAnkiProcess;
import dev.ankisupervisor.testing.StandInAnkiProcess.Reply;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** AnkiConnect's envelope, key, CORS and one-at-a-time rules (A1-A4) over real HTTP. */
class StandInAnkiConnectIT extends StandInRuns {

  private StandInAnkiProcess ready(StandInAnkiProcess.Builder b) throws Exception {
    StandInAnkiProcess anki = start(b);
    anki.waitForApi(WAIT);
    anki.waitForOutput("ready: profile", WAIT);
    return anki;
  }

  private static String body(StandInAnkiProcess anki, String json) throws Exception {
    Reply r = anki.post(json, Map.of(), Duration.ofSeconds(20));
    assertThat(r.status()).isEqualTo(200);
    return r.body();
  }

  @Test
  void envelopeAndErrorTextsFollowTheAddOn() throws Exception {
    StandInAnkiProcess anki = ready(seeded("server"));
    assertThat(body(anki, "{\"action\":\"version\",\"version\":6}")).isEqualTo("{\"result\":6,\"error\":null}");
    assertThat(body(anki, "{\"action\":\"version\"}")).isEqualTo("6");
    assertThat(body(anki, "{\"action\":\"deckNames\",\"version\":4}")).isEqualTo("[\"Default\"]");
    assertThat(body(anki, "{\"action\":\"nope\",\"version\":6}"))
        .isEqualTo("{\"result\":null,\"error\":\"unsupported action\"}");
    assertThat(body(anki, "{\"action\":\"nope\"}")).isEqualTo("{\"result\":null,\"error\":\"unsupported action\"}");
    assertThat(body(anki, "{\"action\":\"createDeck\",\"version\":6}")).isEqualTo(
        "{\"result\":null,\"error\":\"AnkiConnect.createDeck() missing 1 required positional argument: 'deck'\"}");
    assertThat(body(anki, "{\"action\":\"deckNames\",\"version\":6,\"params\":{\"x\":1}}")).isEqualTo(
        "{\"result\":null,\"error\":\"AnkiConnect.deckNames() got an unexpected keyword argument 'x'\"}");
    assertThat(body(anki, "")).isEqualTo("{\"apiVersion\":\"AnkiConnect v.6\"}");
    assertThat(body(anki, "{\"version\":6}")).isEqualTo("{\"result\":null,\"error\":\"'action' is a required property\"}");
  }

  @Test
  void apiKeyIsCheckedOnEveryRequestAndMultiChecksEachAction() throws Exception {
    StandInAnkiProcess anki = ready(seeded("server"));
    String wrong = "{\"result\":null,\"error\":\"valid api key must be provided\"}";
    // No key set: sending one is refused too.
    assertThat(body(anki, "{\"action\":\"version\",\"version\":6,\"key\":\"k\"}")).isEqualTo(wrong);
    AddonDir.writeMetaConfig(base, "{\"apiKey\": \"s3cret\"}");
    assertThat(body(anki, "{\"action\":\"version\",\"version\":6}")).isEqualTo(wrong);
    assertThat(body(anki, "{\"action\":\"version\",\"version\":6,\"key\":\"nope\"}")).isEqualTo(wrong);
    assertThat(body(anki, "{\"action\":\"version\",\"version\":6,\"key\":\"s3cret\"}"))
        .isEqualTo("{\"result\":6,\"error\":null}");
    assertThat(body(anki, "{\"action\":\"requestPermission\",\"version\":6}"))
        .isEqualTo("{\"result\":{\"permission\":\"granted\",\"requireApikey\":true,\"version\":6},\"error\":null}");
    assertThat(body(anki, "{\"action\":\"multi\",\"version\":6,\"key\":\"s3cret\",\"params\":{\"actions\":["
        + "{\"action\":\"version\",\"key\":\"s3cret\"},{\"action\":\"version\",\"version\":6},"
        + "{\"action\":\"deckNames\",\"version\":6,\"key\":\"s3cret\"}]}}")).isEqualTo(
        "{\"result\":[6,{\"result\":null,\"error\":\"valid api key must be provided\"},"
            + "{\"result\":[\"Default\"],\"error\":null}],\"error\":null}");
  }

  @Test
  void corsRefusesUnknownOriginsWith403AndEmptyBody() throws Exception {
    StandInAnkiProcess anki = ready(seeded("server"));
    String req = "{\"action\":\"version\",\"version\":6}";
    Reply evil = anki.post(req, Map.of("Origin", "http://evil.example"), Duration.ofSeconds(20));
    assertThat(evil.status()).isEqualTo(403);
    assertThat(evil.body()).isEmpty();
    assertThat(anki.post(req, Map.of("Origin", "http://localhost"), Duration.ofSeconds(20)).status()).isEqualTo(200);
    assertThat(anki.post(req, Map.of("Origin", "http://127.0.0.1:3000"), Duration.ofSeconds(20)).status()).isEqualTo(200);
    assertThat(anki.post(req, Map.of("Origin", "moz-extension://abc"), Duration.ofSeconds(20)).status()).isEqualTo(200);
    AddonDir.writeMetaConfig(base, "{\"webCorsOriginList\": [\"*\"]}");
    assertThat(anki.post(req, Map.of("Origin", "http://evil.example"), Duration.ofSeconds(20)).status()).isEqualTo(200);
  }

  @Test
  void apiReflectListsActions() throws Exception {
    StandInAnkiProcess anki = ready(seeded("server"));
    String reply = anki.callAction("apiReflect", "{\"scopes\":[\"actions\"]}");
    assertThat(reply).startsWith("{\"result\":{\"scopes\":[\"actions\"],\"actions\":[")
        .contains("\"deckNames\"").contains("\"multi\"").contains("\"version\"");
    assertThat(anki.callAction("apiReflect", "{\"scopes\":[\"actions\"],\"actions\":[\"version\",\"bogus\"]}"))
        .isEqualTo("{\"result\":{\"scopes\":[\"actions\"],\"actions\":[\"version\"]},\"error\":null}");
    assertThat(anki.callAction("apiReflect", "{}")).isEqualTo("{\"result\":null,\"error\":\"scopes has invalid value\"}");
  }

  @Test
  void permissionDialogForUnknownOriginBlocksEveryLaterRequest() throws Exception {
    StandInAnkiProcess anki = ready(seeded("server"));
    Thread asker = new Thread(() -> {
      try {
        anki.post("{\"action\":\"requestPermission\",\"version\":6}", Map.of("Origin", "http://new.example"),
            Duration.ofSeconds(60));
      } catch (java.io.IOException expected) {
        // the dialog never answers; the test kills the process
      }
    });
    asker.setDaemon(true);
    asker.start();
    anki.waitForOutput("stuck in requestPermission dialog", WAIT);
    long t0 = System.nanoTime();
    try {
      anki.post("{\"action\":\"version\",\"version\":6}", Map.of(), Duration.ofSeconds(2));
      org.assertj.core.api.Assertions.fail("a second request was answered while the dialog shows (A3)");
    } catch (java.net.SocketTimeoutException expected) {
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }
  }

  @Test
  void ignoredOriginIsDeniedWithoutDialog() throws Exception {
    StandInAnkiProcess anki = ready(seeded("server"));
    AddonDir.writeMetaConfig(base, "{\"ignoreOriginList\": [\"http://pest.example\"]}");
    Reply r = anki.post("{\"action\":\"requestPermission\",\"version\":6}", Map.of("Origin", "http://pest.example"),
        Duration.ofSeconds(20));
    assertThat(r.body()).isEqualTo("{\"result\":{\"permission\":\"denied\"},\"error\":null}");
  }
}
