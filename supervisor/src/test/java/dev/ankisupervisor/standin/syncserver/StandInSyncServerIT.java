package dev.ankisupervisor.standin.syncserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stand-in sync server as a real process: S1 (env, /health), C8 (host keys), S2 (files, lock, WAL), S3 (signals). */
class StandInSyncServerIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ALICE = SyncServerProcess.hostKey("alice:pw");

  @TempDir Path base;
  private SyncServerProcess server;

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private SyncServerProcess start(String... kv) throws Exception {
    Map<String, String> env = SyncServerProcess.env(kv);
    env.putIfAbsent("SYNC_USER1", "alice:pw");
    server = SyncServerProcess.start(base, env);
    return server;
  }

  @Test
  void healthAnswers200AndOnlyTheSha1OfUserColonPasswordIsAHostKey() throws Exception {
    start();
    assertThat(server.get("health").statusCode()).isEqualTo(200);
    assertThat(server.stdout()).containsPattern("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z  INFO listening addr=127\\.0\\.0\\.1:" + server.port());

    assertThat(server.syncCall("meta", ALICE, "{}").statusCode()).isEqualTo(200);
    // C8: exactly sha1("user:password"), lowercase hex; anything else is upstream's 403.
    assertThat(server.syncCall("meta", SyncServerProcess.hostKey("alice:PW"), "{}").statusCode()).isEqualTo(403);
    assertThat(server.syncCall("meta", ALICE.toUpperCase(), "{}").statusCode()).isEqualTo(403);
    assertThat(server.syncCall("meta", "", "{}").statusCode()).isEqualTo(403);
  }

  @Test
  void withHashedPasswordsTheHostKeyIsStillTheSha1OfTheExactValue() throws Exception {
    String value = "alice:$pbkdf2-sha256$i=4096,l=32$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo";
    start("SYNC_USER1", value, "PASSWORDS_HASHED", "1");
    assertThat(server.syncCall("meta", SyncServerProcess.hostKey(value), "{}").statusCode()).isEqualTo(200);
    assertThat(server.syncCall("meta", ALICE, "{}").statusCode()).isEqualTo(403);
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
        .until(() -> server.stderr().contains("PASSWORDS_HASHED is set"));
  }

  @Test
  void userNumberingStopsAtTheFirstGap() throws Exception {
    start("SYNC_USER2", "bob:pw2", "SYNC_USER4", "dave:pw4");
    assertThat(server.syncCall("meta", SyncServerProcess.hostKey("bob:pw2"), "{}").statusCode()).isEqualTo(200);
    assertThat(server.syncCall("meta", SyncServerProcess.hostKey("dave:pw4"), "{}").statusCode()).isEqualTo(403);
    assertThat(base.resolve("bob/media.db")).exists();
    assertThat(base.resolve("bob/media")).isDirectory();
    assertThat(base.resolve("dave")).doesNotExist();
  }

  @Test
  void startsNothingWithoutUsersAndSaysWhyLikeUpstream() throws Exception {
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("anki.supervisor.jar", "supervisor/target/anki-supervisor.jar"),
        "dev.ankisupervisor.standin.StandIn", "sync-server");
    pb.environment().keySet().removeIf(k -> k.startsWith("SYNC_"));
    pb.environment().put("SYNC_BASE", base.toString());
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    // Upstream prints the snafu report and still exits 0 (rslib/sync/main.rs).
    assertThat(out).contains("Error: unable to create server").contains("No users defined; SYNC_USER1 env var should be set.");
    assertThat(p.exitValue()).isZero();
  }

  @Test
  void seededCollectionIsExclusivelyLockedWhileTheServerRuns() throws Exception {
    start("STANDIN_SYNC_SEED", "deckA:3,deckB:2");
    JsonNode col = server.collection("alice");
    assertThat(col.path("content").path("decks").toString()).contains("deckA", "deckB");
    assertThat(col.path("content").path("cards").size()).isEqualTo(5);

    // S2/C7: every other opener, read-only too, gets "database is locked".
    assertThatThrownBy(() -> countCards(base.resolve("alice/collection.anki2")))
        .isInstanceOf(SQLException.class).hasMessageContaining("database is locked");
    assertThat(base.resolve("alice/collection.anki2-wal")).exists();
    assertThat(base.resolve("alice/collection.anki2-shm")).doesNotExist();
  }

  @Test
  void copyingOnlyTheMainFileWhileRunningMissesRecentDataButWithTheWalHasIt() throws Exception {
    start("STANDIN_SYNC_SEED", "deckA:3");
    server.addDeck("alice", "recent", 2);
    Path onlyMain = Files.createDirectories(base.resolve("copy1")).resolve("collection.anki2");
    Files.copy(base.resolve("alice/collection.anki2"), onlyMain);
    Path withWal = Files.createDirectories(base.resolve("copy2")).resolve("collection.anki2");
    Files.copy(base.resolve("alice/collection.anki2"), withWal);
    Files.copy(base.resolve("alice/collection.anki2-wal"), base.resolve("copy2/collection.anki2-wal"));

    // S2: the main file alone holds none of the data (it all lives in the WAL)...
    int fromMain;
    try {
      fromMain = countCards(onlyMain);
    } catch (SQLException e) {
      fromMain = 0; // not even the cards table
    }
    assertThat(fromMain).isZero();
    // ...while the database copied with its -wal has all of it.
    assertThat(countCards(withWal)).isEqualTo(5);
  }

  @Test
  void sigintClosesCollectionsCleanlyAndExitsZero() throws Exception {
    start("STANDIN_SYNC_SEED", "deckA:3");
    server.addDeck("alice", "late", 1);
    server.signal("INT");
    assertThat(server.waitForExit(Duration.ofSeconds(60))).isZero();
    assertThat(base.resolve("alice/collection.anki2-wal")).doesNotExist();
    assertThat(countCards(base.resolve("alice/collection.anki2"))).isEqualTo(4);
  }

  @Test
  void sigtermKillsAtOnceAndTheWalCarriesTheDataIntoTheNextStart() throws Exception {
    start("STANDIN_SYNC_SEED", "deckA:3");
    server.addDeck("alice", "late", 1);
    server.signal("TERM");
    assertThat(server.waitForExit(Duration.ofSeconds(60))).isEqualTo(128 + 15);
    assertThat(base.resolve("alice/collection.anki2-wal")).exists();
    assertThat(server.stderr()).doesNotContain("closing collections");

    server.close();
    start(); // no seed: the data must come from the replayed WAL
    JsonNode col = server.collection("alice");
    assertThat(col.path("content").path("cards").size()).isEqualTo(4);
    assertThat(col.path("content").path("decks").toString()).contains("late");
  }

  @Test
  void failKnobAnswersEverySyncCallWithItsStatusButHealthStaysUp() throws Exception {
    start("STANDIN_SYNC_FAIL_STATUS", "503");
    assertThat(server.syncCall("meta", ALICE, "{}").statusCode()).isEqualTo(503);
    assertThat(server.get("health").statusCode()).isEqualTo(200);
  }

  @Test
  void busyKnobAnswersConflictToAnAuthenticatedClient() throws Exception {
    start("STANDIN_SYNC_BUSY", "1");
    assertThat(server.syncCall("meta", ALICE, "{}").statusCode()).isEqualTo(409);
    assertThat(server.syncCall("meta", "nope", "{}").statusCode()).isEqualTo(403);
  }

  @Test
  void delayKnobStallsEachSyncCall() throws Exception {
    start("STANDIN_SYNC_DELAY_MS", "1500");
    long t0 = System.nanoTime();
    assertThat(server.syncCall("meta", ALICE, "{}").statusCode()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
  }

  /** A request the test made: when it was sent and when its answer came, by this machine's clock. */
  private record Asked(Instant sent, Instant answered) {}

  @Test
  void healthAnswersWhileSyncCallsStall() throws Exception {
    start("STANDIN_SYNC_DELAY_MS", "4000");
    ExecutorService callers = Executors.newFixedThreadPool(6); // one thread each: all six at once
    try {
      List<Future<HttpResponse<String>>> stalled = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        stalled.add(callers.submit(() -> server.syncCall("meta", ALICE, "{}")));
      }
      // /health is asked again and again until the server has logged all six stalled calls; their log
      // lines then tell when each began and ended, so nothing is guessed about when they arrived.
      List<Asked> health = new CopyOnWriteArrayList<>();
      List<Integer> statuses = new CopyOnWriteArrayList<>();
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
        Instant sent = Instant.now();
        statuses.add(server.get("health").statusCode());
        health.add(new Asked(sent, Instant.now()));
        return server.syncCalls().size() >= 6;
      });
      for (Future<HttpResponse<String>> call : stalled) {
        assertThat(call.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      }
      assertThat(statuses).containsOnly(200);
      List<SyncServerProcess.SyncCall> calls = server.syncCalls();
      assertThat(calls).hasSize(6);
      Instant allStalling = calls.stream().map(SyncServerProcess.SyncCall::start).max(Instant::compareTo).orElseThrow();
      Instant firstDone = calls.stream().map(SyncServerProcess.SyncCall::end).min(Instant::compareTo).orElseThrow();
      assertThat(health).as("a /health asked and answered while all six sync calls stalled (%s to %s): %s",
          allStalling, firstDone, calls)
          .anyMatch(h -> !h.sent().isBefore(allStalling) && !h.answered().isAfter(firstDone));
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void bodiesOverMaxSyncPayloadMegsAreRefused() throws Exception {
    start("MAX_SYNC_PAYLOAD_MEGS", "1");
    String big = "{\"pad\":\"" + "x".repeat(1024 * 1024 + 10) + "\"}";
    assertThat(server.syncCall("meta", ALICE, big).statusCode()).isEqualTo(413);
    assertThat(server.syncCall("meta", ALICE, "{}").statusCode()).isEqualTo(200);
  }

  @Test
  void uploadReplacesTheServerCollectionAndRaisesItsUsn() throws Exception {
    start("STANDIN_SYNC_SEED", "old:2");
    long usnBefore = server.collection("alice").path("usn").asLong();
    String upload = "{\"scm\":\"client-1\",\"decks\":[\"Default\",\"mine\"],\"cards\":[{\"id\":7,\"deck\":\"mine\","
        + "\"front\":\"f\",\"back\":\"b\",\"mod\":5}],\"config\":{\"k\":\"1\"}}";
    HttpResponse<String> r = server.syncCall("upload", ALICE, upload);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode col = server.collection("alice");
    assertThat(col.path("usn").asLong()).isGreaterThan(usnBefore);
    assertThat(col.path("content").path("scm").asText()).isEqualTo("client-1");
    assertThat(col.path("content").path("decks").toString()).contains("mine").doesNotContain("old");
    JsonNode meta = JSON.readTree(server.syncCall("meta", ALICE, "{}").body());
    assertThat(meta.path("empty").asBoolean()).isFalse();
    assertThat(meta.path("scm").asText()).isEqualTo("client-1");
  }

  private static int countCards(Path file) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select count(*) from cards")) {
      return rs.getInt(1);
    }
  }
}
