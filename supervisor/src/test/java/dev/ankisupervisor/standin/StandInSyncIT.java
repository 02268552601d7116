package dev.ankisupervisor.standin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ankisupervisor.standin.syncserver.SyncServerProcess;
import dev.ankisupervisor.testing.FreePort;
import dev.ankisupervisor.testing.StandInAnkiProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stand-in Anki's {@code sync} (A4) and patched {@code headlessSync}/{@code fullSync} (P2)
 * against a real stand-in sync server (S1, C8), both as real processes.
 */
class StandInSyncIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String STATUS_TAIL = " not one of [0, 1] - see SyncCollectionResponse.ChangesRequired for list of"
      + " sync statuses: https://github.com/ankitects/anki/blob/e41c4573d789afe8b020fab5d9d1eede50c3fa3d/proto/anki/sync.proto#L57-L65";

  @TempDir Path tmp;
  private SyncServerProcess server;
  private StandInAnkiProcess anki;

  @AfterEach
  void stopAll() throws Exception {
    if (anki != null) {
      anki.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private SyncServerProcess server(String... kv) throws Exception {
    server = SyncServerProcess.startForAlice(Files.createDirectories(tmp.resolve("server")), kv);
    return server;
  }

  /** Starts stand-in Anki with a profile "server" whose prefs carry {@code profile} (C8). */
  private StandInAnkiProcess anki(Map<String, Object> profile, String... env) throws Exception {
    anki = StandInAnkiProcess.startWithProfile(tmp.resolve("anki"), FreePort.find(), profile, WAIT, env);
    return anki;
  }

  private Map<String, Object> auth(String userColonPassword) {
    Map<String, Object> p = new HashMap<>();
    p.put("syncKey", SyncServerProcess.hostKey(userColonPassword));
    p.put("syncUser", userColonPassword.substring(0, userColonPassword.indexOf(':')));
    p.put("customSyncUrl", server.url());
    return p;
  }

  private JsonNode call(String action, String params) throws Exception {
    return JSON.readTree(anki.callAction(action, params));
  }

  private String error(String action, String params) throws Exception {
    JsonNode r = call(action, params);
    assertThat(r.path("result").isNull()).as("result of %s", r).isTrue();
    return r.path("error").asText();
  }

  @Test
  void freshProfileNeedsAFullDownloadAndGetsTheServersDecks() throws Exception {
    server("STANDIN_SYNC_SEED", "deckA:3,deckB:2");
    anki(auth("alice:pw"), "ANKI_STANDIN_PATCHES", "headless-sync");

    // C8 / A4: a fresh profile's first sync is a full download, which stock sync reports as status 3.
    assertThat(error("sync", null)).isEqualTo("Sync status 3" + STATUS_TAIL);
    JsonNode head = call("headlessSync", null);
    assertThat(head.path("error").isNull()).isTrue();
    assertThat(head.path("result").path("required").asText()).isEqualTo("full_download");
    assertThat(head.path("result").path("serverMessage").asText()).isEmpty();

    assertThat(call("fullSync", "{\"direction\":\"download\"}").toString())
        .isEqualTo("{\"result\":{\"direction\":\"download\"},\"error\":null}");
    assertThat(call("deckNames", null).path("result").toString()).contains("deckA", "deckB");
    assertThat(call("findCards", "{\"query\":\"deck:deckA\"}").path("result").size()).isEqualTo(3);

    // Now in step: stock sync succeeds with a null result, and nothing is left to do.
    assertThat(call("sync", null).toString()).isEqualTo("{\"result\":null,\"error\":null}");
    assertThat(call("headlessSync", null).path("result").path("required").asText()).isEqualTo("no_changes");
  }

  @Test
  void normalSyncMergesDecksCreatedOnEitherSide() throws Exception {
    server("STANDIN_SYNC_SEED", "deckA:1");
    anki(auth("alice:pw"), "ANKI_STANDIN_PATCHES", "headless-sync");
    call("fullSync", "{\"direction\":\"download\"}");

    call("createDeck", "{\"deck\":\"madeLocally\"}");
    // real Anki 25.09.2 reports the state after the sync it carried out: no changes (C8)
    assertThat(call("headlessSync", null).path("result").path("required").asText()).isEqualTo("no_changes");
    assertThat(server.collection("alice").path("content").path("decks").toString()).contains("madeLocally");

    server.addDeck("alice", "madeElsewhere", 2);
    assertThat(call("sync", null).toString()).isEqualTo("{\"result\":null,\"error\":null}");
    assertThat(call("deckNames", null).path("result").toString()).contains("madeElsewhere", "madeLocally", "deckA");
    assertThat(call("findCards", "{\"query\":\"deck:madeElsewhere\"}").path("result").size()).isEqualTo(2);
  }

  @Test
  void localCardsAndAnEmptyServerNeedAnUploadWhichOnlyUploadMaySettle() throws Exception {
    server();
    writeLocalCards(tmp.resolve("anki/server/collection.anki2"), "mine", 2);
    anki(auth("alice:pw"), "ANKI_STANDIN_PATCHES", "headless-sync");

    assertThat(error("sync", null)).isEqualTo("Sync status 4" + STATUS_TAIL);
    assertThat(error("fullSync", "{\"direction\":\"download\"}"))
        .isEqualTo("full sync would overwrite data; pass force to confirm");
    assertThat(call("fullSync", "{\"direction\":\"upload\",\"force\":false}").path("result").path("direction").asText())
        .isEqualTo("upload");
    JsonNode col = server.collection("alice");
    assertThat(col.path("content").path("decks").toString()).contains("mine");
    assertThat(col.path("content").path("cards").size()).isEqualTo(2);
    assertThat(call("headlessSync", null).path("result").path("required").asText()).isEqualTo("no_changes");
  }

  @Test
  void bothSidesWithCardsAndNoSharedHistoryIsAConflictOnlyForceSettles() throws Exception {
    server("STANDIN_SYNC_SEED", "theirs:2");
    writeLocalCards(tmp.resolve("anki/server/collection.anki2"), "mine", 1);
    anki(auth("alice:pw"), "ANKI_STANDIN_PATCHES", "headless-sync");

    assertThat(error("sync", null)).isEqualTo("Sync status 2" + STATUS_TAIL);
    assertThat(call("headlessSync", null).path("result").path("required").asText()).isEqualTo("full_sync");
    assertThat(error("fullSync", "{\"direction\":\"upload\"}")).isEqualTo("full sync would overwrite data; pass force to confirm");
    assertThat(error("fullSync", "{\"direction\":\"sideways\"}")).isEqualTo("full sync direction must be \"download\" or \"upload\"");
    // Only JSON true forces (as in the patch): a string "false", or 1, never overwrites.
    assertThat(error("fullSync", "{\"direction\":\"download\",\"force\":\"false\"}"))
        .isEqualTo("full sync would overwrite data; pass force to confirm");
    assertThat(error("fullSync", "{\"direction\":\"download\",\"force\":1}"))
        .isEqualTo("full sync would overwrite data; pass force to confirm");

    call("fullSync", "{\"direction\":\"download\",\"force\":true}");
    assertThat(call("deckNames", null).path("result").toString()).contains("theirs").doesNotContain("mine");
  }

  @Test
  void currentSyncUrlTakesPrecedenceOverCustomSyncUrl() throws Exception {
    server("STANDIN_SYNC_SEED", "deckA:1");
    Map<String, Object> p = auth("alice:pw");
    p.put("currentSyncUrl", server.url());
    p.put("customSyncUrl", "http://127.0.0.1:" + FreePort.find() + "/");
    anki(p);
    assertThat(error("sync", null)).isEqualTo("Sync status 3" + STATUS_TAIL);
  }

  @Test
  void withoutASyncKeyEverySyncActionSaysAuthIsNotConfigured() throws Exception {
    server();
    anki(Map.of(), "ANKI_STANDIN_PATCHES", "headless-sync");
    assertThat(error("sync", null)).isEqualTo("sync: auth not configured");
    assertThat(error("headlessSync", null)).isEqualTo("sync: auth not configured");
    assertThat(error("fullSync", "{\"direction\":\"download\"}")).isEqualTo("sync: auth not configured");
  }

  @Test
  void backendErrorsComeThroughAsAnkisOwnTexts() throws Exception {
    server();
    anki(auth("alice:wrong"), "ANKI_STANDIN_PATCHES", "headless-sync");
    // A4: wrong password -> 403 -> sync-wrong-pass; P2's actions give the same texts.
    assertThat(error("sync", null)).isEqualTo("Email or password was incorrect; please try again.");
    assertThat(error("headlessSync", null)).isEqualTo("Email or password was incorrect; please try again.");
    assertThat(error("fullSync", "{\"direction\":\"download\",\"force\":true}"))
        .isEqualTo("Email or password was incorrect; please try again.");
  }

  @Test
  void serverDownReadsAsANetworkErrorAsInRealAnki() throws Exception {
    server();
    Map<String, Object> p = auth("alice:pw");
    server.close();
    p.put("customSyncUrl", "http://127.0.0.1:" + FreePort.find() + "/");
    anki(p);
    assertThat(error("sync", null))
        .isEqualTo("A network error occurred.\n\nError details: \u2068error sending request for url ()\u2069");
  }

  @Test
  void serverErrorsAndBusyServerReadAsAnkiWebTexts() throws Exception {
    server("STANDIN_SYNC_FAIL_STATUS", "500");
    anki(auth("alice:pw"));
    assertThat(error("sync", null)).isEqualTo("AnkiWeb encountered a problem. Please try again in a few minutes.");
    anki.close();
    server.close();

    server("STANDIN_SYNC_BUSY", "1");
    anki(auth("alice:pw"));
    assertThat(error("sync", null))
        .isEqualTo("Only one copy of Anki can sync to your account at once. Please wait a few minutes, then try again.");
  }

  @Test
  void aStallLongerThanNetworkTimeoutIsATimeout() throws Exception {
    server("STANDIN_SYNC_DELAY_MS", "8000");
    Map<String, Object> p = auth("alice:pw");
    p.put("networkTimeout", 1);
    anki(p);
    long t0 = System.nanoTime();
    assertThat(error("sync", null)).isEqualTo("Connection timed out. Please try again. If you see frequent timeouts,"
        + " please try a different network connection.\n\nError details: \u2068\u2069"); // as real Anki 25.09.2
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(7));
  }

  @Test
  void aSlowSyncBlocksEveryOtherRequestUntilItEnds() throws Exception {
    server("STANDIN_SYNC_SEED", "deckA:1");
    anki(auth("alice:pw"), "ANKI_STANDIN_SYNC_DELAY_MS", "4000");
    CompletableFuture<String> sync = CompletableFuture.supplyAsync(() -> {
      try {
        return anki.callAction("sync", null);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    anki.waitForOutput("[stand-in] sync: started", WAIT);
    long t0 = System.nanoTime();
    // A3: one request at a time on the GUI thread: version waits for the rest of the sync.
    assertThat(anki.callAction("version", null)).isEqualTo("{\"result\":6,\"error\":null}");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(2500));
    assertThat(sync.get(60, java.util.concurrent.TimeUnit.SECONDS)).contains("Sync status 3");
  }

  @Test
  void syncFailKnobFailsEverySyncWithItsExactText() throws Exception {
    server();
    anki(auth("alice:pw"), "ANKI_STANDIN_SYNC_FAIL", "AnkiWeb encountered a problem. Please try again in a few minutes.");
    assertThat(error("sync", null)).isEqualTo("AnkiWeb encountered a problem. Please try again in a few minutes.");
  }

  @Test
  void patchActionsAreAbsentFromAStockAddon() throws Exception {
    server();
    anki(auth("alice:pw"));
    assertThat(error("headlessSync", null)).isEqualTo("unsupported action");
    assertThat(error("fullSync", "{\"direction\":\"download\"}")).isEqualTo("unsupported action");
    assertThat(error("getConfig", "{\"key\":\"a\"}")).isEqualTo("unsupported action");
    assertThat(error("setConfig", "{\"key\":\"a\",\"val\":1}")).isEqualTo("unsupported action");
  }

  /** A collection with cards, written before stand-in Anki opens it. */
  private static void writeLocalCards(Path file, String deck, int n) throws Exception {
    Files.createDirectories(file.getParent());
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
      for (String sql : CollectionSchema.CREATE) {
        st.execute(sql);
      }
      st.execute("insert into decks (id, name) values (2, '" + deck + "')");
      for (int i = 1; i <= n; i++) {
        st.execute("insert into cards (id, did, front, back, mod) values (" + (1000 + i) + ", 2, 'f" + i + "', 'b" + i + "', 1)");
      }
    }
  }
}
