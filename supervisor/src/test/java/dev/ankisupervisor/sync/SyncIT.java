package dev.ankisupervisor.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ankisupervisor.ankiconnect.AddonPatches;
import dev.ankisupervisor.ankiconnect.AnkiConnectClient;
import dev.ankisupervisor.ankiconnect.AnkiConnectEndpoint;
import dev.ankisupervisor.ankiconnect.PatchProbe;
import dev.ankisupervisor.model.FullSyncDirection;
import dev.ankisupervisor.model.SyncOutcome;
import dev.ankisupervisor.model.SyncTrigger;
import dev.ankisupervisor.os.Scheduler;
import dev.ankisupervisor.standin.CollectionSchema;
import dev.ankisupervisor.standin.syncserver.SyncServerProcess;
import dev.ankisupervisor.testing.FreePort;
import dev.ankisupervisor.testing.StandInAnkiProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SyncRunner and SyncLoop against a real stand-in Anki (A4, P2) and a real stand-in sync server
 * (S1, C8), both as processes: bootstrap, the periodic loop, and each failure's state and message.
 */
class SyncIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path tmp;
  private SyncServerProcess server;
  private StandInAnkiProcess anki;
  private SyncLoop loop;
  private final List<SyncSnapshot> snapshots = new CopyOnWriteArrayList<>();
  private SyncRunner.Options options = new SyncRunner.Options(Duration.ofSeconds(20), Duration.ofSeconds(5),
      Duration.ofSeconds(20), Duration.ofSeconds(5), Duration.ofSeconds(30));

  @AfterEach
  void stopAll() throws Exception {
    if (loop != null) {
      loop.stop();
    }
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

  private Map<String, Object> auth(String userColonPassword, String url) {
    Map<String, Object> p = new HashMap<>();
    p.put("syncKey", SyncServerProcess.hostKey(userColonPassword));
    p.put("syncUser", userColonPassword.substring(0, userColonPassword.indexOf(':')));
    p.put("customSyncUrl", url);
    return p;
  }

  private void anki(Map<String, Object> profile, String... env) throws Exception {
    int port = FreePort.find();
    anki = StandInAnkiProcess.startWithProfile(tmp.resolve("anki"), port, profile, WAIT, env);
    ankiPort = port;
  }

  private int ankiPort;

  /** What the last runner made learnt about the add-on. */
  private PatchProbe patches;

  private SyncRunner runner(String syncUrl) {
    AnkiConnectClient client = new AnkiConnectClient(new AnkiConnectEndpoint("http://127.0.0.1:" + ankiPort + "/",
        Optional.empty()));
    patches = new PatchProbe(client, options.probeTimeout());
    return new SyncRunner(client, patches, Optional.ofNullable(syncUrl), options, Clock.systemUTC());
  }

  private JsonNode call(String action, String params) throws Exception {
    return JSON.readTree(anki.callAction(action, params)).path("result");
  }

  @Test
  void firstBootDownloadsTheServersDecks() throws Exception {
    server("STANDIN_SYNC_SEED", "deckA:3,deckB:2");
    anki(auth("alice:pw", server.url()), "ANKI_STANDIN_PATCHES", "headless-sync");
    SyncResult r = runner(server.url()).sync(SyncTrigger.STARTUP);
    assertThat(r.outcome()).as(r.message()).isEqualTo(SyncOutcome.OK);
    assertThat(r.trigger()).isEqualTo(SyncTrigger.BOOTSTRAP);
    assertThat(r.message()).matches("bootstrap complete: \\d+ decks, 5 cards");
    assertThat(call("deckNames", null).toString()).contains("deckA", "deckB");
    assertThat(patches.known()).contains(new AddonPatches(false, true));
    // in step now: the next sync is a plain OK
    SyncResult next = runner(server.url()).sync(SyncTrigger.INTERVAL);
    assertThat(next.outcome()).isEqualTo(SyncOutcome.OK);
    assertThat(next.trigger()).isEqualTo(SyncTrigger.INTERVAL);
  }

  @Test
  void loopSyncsRepeatedlyAndPicksUpServerChanges() throws Exception {
    server("STANDIN_SYNC_SEED", "deckA:1");
    anki(auth("alice:pw", server.url()), "ANKI_STANDIN_PATCHES", "headless-sync");
    loop = new SyncLoop(runner(server.url())::sync, Duration.ofSeconds(1), true, Clock.systemUTC(),
        Scheduler.newThread("sync"), snapshots::add);
    loop.resume();
    await().atMost(WAIT).until(() -> finished().size() >= 3);
    assertThat(finished().get(0).trigger()).contains(SyncTrigger.BOOTSTRAP);
    assertThat(finished().get(2).trigger()).contains(SyncTrigger.INTERVAL);
    assertThat(finished()).allSatisfy(s -> assertThat(s.state().statusName()).isEqualTo("ok"));
    server.addDeck("alice", "madeElsewhere", 2);
    await().atMost(WAIT).until(() -> call("deckNames", null).toString().contains("madeElsewhere"));
  }

  @Test
  void serverDownIsANetworkErrorAndTheLoopRecoversWhenItReturns() throws Exception {
    server("STANDIN_SYNC_SEED", "deckA:1");
    int port = server.port();
    String url = server.url();
    server.close();
    anki(auth("alice:pw", url), "ANKI_STANDIN_PATCHES", "headless-sync");
    loop = new SyncLoop(runner(url)::sync, Duration.ofSeconds(1), true, Clock.systemUTC(),
        Scheduler.newThread("sync"), snapshots::add);
    loop.resume();
    await().atMost(WAIT).until(() -> finished().size() >= 2);
    SyncSnapshot down = finished().get(1);
    assertThat(down.state().statusName()).isEqualTo("network_error");
    assertThat(down.consecutiveFailures()).isEqualTo(2);
    assertThat(down.errorMessage()).hasValueSatisfying(m -> assertThat(m).contains("sync server unreachable", url));
    server("SYNC_PORT", Integer.toString(port), "STANDIN_SYNC_SEED", "deckA:1");
    await().atMost(WAIT).until(() -> loop.snapshot().state().statusName().equals("ok"));
    assertThat(loop.snapshot().consecutiveFailures()).isZero();
    assertThat(call("deckNames", null).toString()).contains("deckA");
  }

  @Test
  void wrongPasswordIsAuthFailed() throws Exception {
    server();
    anki(auth("alice:wrong", server.url()), "ANKI_STANDIN_PATCHES", "headless-sync");
    SyncResult r = runner(server.url()).sync(SyncTrigger.STARTUP);
    assertThat(r.outcome()).isEqualTo(SyncOutcome.AUTH_FAILED);
    assertThat(r.message()).startsWith("Email or password was incorrect").contains("--sync-password-file");
  }

  @Test
  void noSyncKeyIsAuthMissing() throws Exception {
    server();
    anki(Map.of(), "ANKI_STANDIN_PATCHES", "headless-sync");
    assertThat(runner(null).sync(SyncTrigger.STARTUP).outcome()).isEqualTo(SyncOutcome.AUTH_MISSING);
  }

  @Test
  void serverStallPastAnkisNetworkTimeoutIsTimeout() throws Exception {
    server("STANDIN_SYNC_DELAY_MS", "8000");
    Map<String, Object> p = auth("alice:pw", server.url());
    p.put("networkTimeout", 1);
    anki(p, "ANKI_STANDIN_PATCHES", "headless-sync");
    SyncResult r = runner(server.url()).sync(SyncTrigger.INTERVAL);
    assertThat(r.outcome()).as(r.message()).isEqualTo(SyncOutcome.TIMEOUT);
    assertThat(r.message()).startsWith("Connection timed out");
  }

  @Test
  void syncPastOurCallTimeoutIsTimeout() throws Exception {
    server();
    anki(auth("alice:pw", server.url()), "ANKI_STANDIN_PATCHES", "headless-sync", "ANKI_STANDIN_SYNC_DELAY_MS",
        "6000");
    options = new SyncRunner.Options(Duration.ofSeconds(1), Duration.ofMillis(500), Duration.ofSeconds(20),
        Duration.ofSeconds(5), Duration.ofSeconds(30));
    SyncRunner runner = runner(server.url());
    runner.sync(SyncTrigger.STARTUP); // learns the patches (apiReflect) with the long probe timeout... then times out
    SyncResult r = runner.sync(SyncTrigger.INTERVAL);
    assertThat(r.outcome()).as(r.message()).isEqualTo(SyncOutcome.TIMEOUT);
    assertThat(r.message()).contains("within the call timeout");
  }

  @Test
  void server5xxIsServerError() throws Exception {
    server("STANDIN_SYNC_FAIL_STATUS", "500");
    anki(auth("alice:pw", server.url()), "ANKI_STANDIN_PATCHES", "headless-sync");
    SyncResult r = runner(server.url()).sync(SyncTrigger.INTERVAL);
    assertThat(r.outcome()).as(r.message()).isEqualTo(SyncOutcome.SERVER_ERROR);
  }

  @Test
  void fullSyncWithLocalDataIsNeverResolvedOnItsOwn() throws Exception {
    server("STANDIN_SYNC_SEED", "theirs:2");
    writeLocalCards(tmp.resolve("anki/server/collection.anki2"), "mine", 1);
    anki(auth("alice:pw", server.url()), "ANKI_STANDIN_PATCHES", "headless-sync");
    SyncResult r = runner(server.url()).sync(SyncTrigger.INTERVAL);
    assertThat(r.outcome()).isEqualTo(SyncOutcome.FULL_SYNC_REQUIRED);
    assertThat(r.fullSyncDirection()).contains(FullSyncDirection.EITHER);
    assertThat(r.message()).contains("anki-supervisor full-sync --download --yes --force");
    assertThat(call("deckNames", null).toString()).contains("mine").doesNotContain("theirs");
    assertThat(server.collection("alice").path("content").path("decks").toString()).contains("theirs")
        .doesNotContain("mine");
  }

  @Test
  void localDataAndEmptyServerAsksForAnUploadCommand() throws Exception {
    server();
    writeLocalCards(tmp.resolve("anki/server/collection.anki2"), "mine", 2);
    anki(auth("alice:pw", server.url()), "ANKI_STANDIN_PATCHES", "headless-sync");
    SyncResult r = runner(server.url()).sync(SyncTrigger.INTERVAL);
    assertThat(r.fullSyncDirection()).contains(FullSyncDirection.UPLOAD);
    assertThat(r.message()).contains("anki-supervisor full-sync --upload --yes");
    // the command's own path: P2 fullSync upload, allowed without force since the server is empty
    SyncResult up = runner(server.url()).fullSync(FullSyncDirection.UPLOAD, false);
    assertThat(up.outcome()).as(up.message()).isEqualTo(SyncOutcome.OK);
    assertThat(server.collection("alice").path("content").path("decks").toString()).contains("mine");
  }

  @Test
  void withoutP2BootstrapCannotRun() throws Exception {
    server("STANDIN_SYNC_SEED", "deckA:1");
    anki(auth("alice:pw", server.url()));
    SyncResult r = runner(server.url()).sync(SyncTrigger.STARTUP);
    assertThat(r.outcome()).isEqualTo(SyncOutcome.FULL_SYNC_REQUIRED);
    assertThat(r.fullSyncDirection()).contains(FullSyncDirection.DOWNLOAD);
    assertThat(patches.known()).contains(new AddonPatches(false, false));
  }

  private List<SyncSnapshot> finished() {
    return snapshots.stream().filter(s -> !s.inFlight() && s.lastFinishedAt().isPresent()).toList();
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
        st.execute("insert into cards (id, did, front, back, mod) values (" + (1000 + i) + ", 2, 'f" + i + "', 'b" + i
            + "', 1)");
      }
    }
  }
}
