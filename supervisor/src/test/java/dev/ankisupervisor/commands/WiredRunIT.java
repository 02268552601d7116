package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ankisupervisor.ankiconnect.AnkiConnectClient;
import dev.ankisupervisor.ankiconnect.AnkiConnectEndpoint;
import dev.ankisupervisor.standin.syncserver.SyncServerProcess;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Supervision, sync and patch checks wired end to end: a real {@code run} process supervising the stand-in Anki against the
 * stand-in sync server writes the status file (states, sync, patches), bootstraps a fresh profile,
 * syncs every interval, answers SIGUSR1/{@code sync-now} one sync at a time, and passes
 * {@code status} and {@code check}.
 */
class WiredRunIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BOTH_PATCHES = "config-actions,headless-sync";

  @TempDir Path tmp;
  private SupervisorProcess run;
  private SyncServerProcess server;

  @AfterEach
  void stopAll() throws Exception {
    if (run != null) {
      run.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private Path statusFile() {
    return run.stateDir.resolve("sync-status.json");
  }

  private JsonNode status() {
    try {
      return JSON.readTree(Files.readString(statusFile()));
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }

  /** A time field of the status file; {@link Instant#MIN} while null or missing. */
  private static Instant instant(JsonNode field) {
    return field.isTextual() ? Instant.parse(field.asText()) : Instant.MIN;
  }

  private static int execute(StringWriter out, String... args) {
    CommandLine cl = AnkiSupervisorCommand.newCommandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(out, true));
    return cl.execute(args);
  }

  private int statusCommand() {
    return statusCommand(new StringWriter());
  }

  private int statusCommand(StringWriter out) {
    return execute(out, "status", "--status-file", statusFile().toString());
  }

  /** A supervisor with a sync login for {@code server} and the sync interval given. */
  private SupervisorProcess supervisorWithSync(String interval) throws IOException {
    Path password = Files.writeString(tmp.resolve("sync-password"), "pw\n");
    return new SupervisorProcess(tmp.resolve("run"))
        .set("--sync-url", server.url()).set("--sync-user", "alice")
        .set("--sync-password-file", password.toString()).set("--sync-interval", interval);
  }

  @Test
  void firstBootBootstrapsSyncsEveryIntervalAndStatusFollowsTheSyncServer() throws Exception {
    server = SyncServerProcess.start(Files.createDirectories(tmp.resolve("server")),
        Map.of("SYNC_USER1", "alice:pw", "STANDIN_SYNC_SEED", "Spanish:3,Capitals:2"));
    int serverPort = server.port();
    Path metrics = tmp.resolve("anki-supervisor.prom");
    run = supervisorWithSync("2s").set("--config-api-prefix", "it.").set("--metrics-file", metrics.toString())
        .args("--config-api-enable").env("ANKI_STANDIN_PATCHES", BOTH_PATCHES).start();

    // First boot: the fresh profile gets the server's collection (bootstrap), then interval syncs.
    run.awaitLog("bootstrap complete: 3 decks, 5 cards"); // the server's two and Default
    run.awaitLog("sync (bootstrap) ok");
    run.awaitLog("sync (interval) ok");
    String url = "http://127.0.0.1:" + run.port + "/";
    JsonNode decks = new AnkiConnectClient(new AnkiConnectEndpoint(url, Optional.empty()))
        .call("deckNames", Duration.ofSeconds(10));
    assertThat(decks.toString()).contains("Spanish", "Capitals");
    await().atMost(WAIT).until(() -> "interval".equals(status().path("sync").path("trigger").asText()));
    JsonNode doc = status();
    assertThat(doc.path("supervisor").path("state").asText()).isEqualTo("ready");
    assertThat(doc.path("supervisor").path("pid").asLong()).isEqualTo(run.process().pid());
    assertThat(doc.path("anki").path("pid").asLong()).isEqualTo(run.ankiPid());
    assertThat(doc.path("anki").path("readySince").isNull()).isFalse();
    assertThat(doc.path("ankiConnect").path("url").asText()).isEqualTo(url);
    assertThat(doc.path("ankiConnect").path("lastProbeAt").isNull()).isFalse();
    assertThat(doc.path("ankiConnect").path("patches").path("configApi").asBoolean()).isTrue();
    assertThat(doc.path("ankiConnect").path("patches").path("headlessSync").asBoolean()).isTrue();
    assertThat(doc.path("ankiConnect").path("problem").isNull()).isTrue();
    assertThat(doc.path("sync").path("state").asText()).isEqualTo("ok");
    assertThat(doc.path("sync").path("intervalSeconds").asLong()).isEqualTo(2);
    assertThat(Files.readString(statusFile())).doesNotContain("pw", SyncServerProcess.hostKey("alice:pw"));
    StringWriter ok = new StringWriter();
    assertThat(statusCommand(ok)).as(ok.toString()).isZero();
    assertThat(ok.toString()).contains("sync: ok (interval)");
    assertThat(Files.readString(metrics)).contains("anki_supervisor_ready 1",
        "anki_supervisor_sync_attempts_total{result=\"ok\"}");

    // The deploy check passes against the supervised, patched add-on.
    StringWriter check = new StringWriter();
    int failures = execute(check, "check", "--url", url, "--status-file", statusFile().toString(),
        "--config-prefix", "it.");
    assertThat(failures).as(check.toString()).isZero();

    // The server goes away: WARNING (last sync failed), then CRITICAL (no success in 3 intervals).
    server.close();
    await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> statusCommand() == 1);
    await().atMost(WAIT).until(() -> statusCommand() == 2);
    StringWriter critical = new StringWriter();
    assertThat(statusCommand(critical)).isEqualTo(2);
    assertThat(critical.toString()).contains("more than 3 intervals");
    assertThat(status().path("sync").path("state").asText()).isEqualTo("network_error");
    assertThat(status().path("supervisor").path("state").asText()).isEqualTo("ready"); // not an Anki failure

    // ... and comes back on the same port: OK again.
    server = SyncServerProcess.start(tmp.resolve("server"),
        Map.of("SYNC_USER1", "alice:pw", "SYNC_PORT", Integer.toString(serverPort)));
    await().atMost(WAIT).until(() -> statusCommand() == 0);
    assertThat(run.count("-> backing_off")).isZero();
  }

  @Test
  void syncNowAgainstRunPrintsTheResultAndManualSyncsNeverOverlap() throws Exception {
    // Every /sync/ call stalls 400 ms: a sync takes seconds and blocks AnkiConnect meanwhile (A3).
    server = SyncServerProcess.start(Files.createDirectories(tmp.resolve("server")),
        Map.of("SYNC_USER1", "alice:pw", "STANDIN_SYNC_SEED", "Spanish:3", "STANDIN_SYNC_DELAY_MS", "400"));
    // Interval 0: no periodic sync, but the start sync and manual ones still run.
    run = supervisorWithSync("0").env("ANKI_STANDIN_PATCHES", BOTH_PATCHES).start();
    run.awaitLog("sync (bootstrap) ok");
    Path pidFile = run.stateDir.resolve("supervisor.pid");
    // "<pid> <start time>": sync-now proves the pid is still this supervisor before signalling it.
    assertThat(Files.readString(pidFile).strip()).matches(run.process().pid() + " \\d+");

    StringWriter out = new StringWriter();
    int code = execute(out, "sync-now", "--supervisor-pid-file", pidFile.toString(),
        "--status-file", statusFile().toString(), "--timeout", "60s");
    assertThat(code).as(out.toString()).isZero();
    assertThat(out.toString()).startsWith("sync ok (manual) in ");

    // Two SIGUSR1s in quick succession: the second waits for the first's sync (one sync thread). The
    // second is sent once the first's sync has started (the status file shows an attempt begun after
    // sync-now's finished), so it is a request of its own, not one coalesced with the first.
    Instant syncNowFinished = instant(status().path("sync").path("lastFinishedAt"));
    assertThat(syncNowFinished).isNotEqualTo(Instant.MIN);
    SupervisorProcess.signal(run.process().pid(), "USR1");
    await().atMost(WAIT).pollInterval(Duration.ofMillis(50))
        .until(() -> instant(status().path("sync").path("lastAttemptAt")).isAfter(syncNowFinished));
    SupervisorProcess.signal(run.process().pid(), "USR1");
    run.awaitLog("sync (manual) ok", 3);
    assertThat(run.count("sync (interval)")).isZero();
    assertThat(run.count("-> backing_off")).as("liveness misses during a sync do not count").isZero();
    assertSequential(server.syncCalls());

    run.sigterm();
    assertThat(run.awaitExit()).isZero();
    assertThat(pidFile).doesNotExist();
    assertThat(status().path("supervisor").path("state").asText()).isEqualTo("stopped");
  }

  @Test
  void manualSyncAskedBeforeAnkiIsReadyRunsOnceItIs() throws Exception {
    server = SyncServerProcess.start(Files.createDirectories(tmp.resolve("server")),
        Map.of("SYNC_USER1", "alice:pw", "STANDIN_SYNC_SEED", "Spanish:3"));
    // No start sync and no interval: the only sync that can run is the manual one.
    run = supervisorWithSync("0").args("--no-sync-on-start").env("ANKI_STANDIN_PATCHES", BOTH_PATCHES)
        .env("ANKI_STANDIN_STARTUP_DELAY_MS", "3000").start();
    Path pidFile = run.stateDir.resolve("supervisor.pid");
    await().atMost(WAIT).until(() -> Files.exists(pidFile));
    SupervisorProcess.signal(run.process().pid(), "USR1");
    run.awaitLog("manual sync request kept until Anki is ready");
    assertThat(run.count("-> ready")).isZero();
    // The fresh profile's first sync is the bootstrap, so the manual request shows up as that.
    run.awaitLog("sync (bootstrap) ok");
    assertThat(run.log().indexOf("sync (bootstrap) ok")).isGreaterThan(run.log().indexOf("-> ready"));
    assertThat(run.count("sync (startup)") + run.count("sync (interval)")).isZero();
    await().atMost(WAIT).until(() -> status().path("sync").path("state").asText().equals("ok"));
  }

  @Test
  void ankiRestartPausesTheSyncLoopAndTheNextReadyResumesItWithAStartSyncThenAKeptManualOne() throws Exception {
    server = SyncServerProcess.start(Files.createDirectories(tmp.resolve("server")),
        Map.of("SYNC_USER1", "alice:pw", "STANDIN_SYNC_SEED", "Spanish:3"));
    // No interval: the syncs are the start-of-run ones and the manual one. Each Anki takes 3 s to be
    // ready, so the manual request surely arrives while the loop is paused.
    run = supervisorWithSync("0").env("ANKI_STANDIN_PATCHES", BOTH_PATCHES)
        .env("ANKI_STANDIN_STARTUP_DELAY_MS", "3000").start();
    run.awaitLog("sync (bootstrap) ok");
    long first = run.ankiPid();
    SupervisorProcess.signal(first, "KILL");
    run.awaitLog("sync loop paused until Anki is ready again");
    SupervisorProcess.signal(run.process().pid(), "USR1");
    run.awaitLog("manual sync request kept until Anki is ready");
    assertThat(run.count("-> ready")).isEqualTo(1);

    // The next Anki: the patch check again, a startup sync, then the kept manual request.
    run.awaitLog("sync (manual) ok");
    assertThat(run.ankiPid()).isNotEqualTo(first);
    String log = run.log();
    int secondReady = log.indexOf("-> ready", log.indexOf("-> ready") + 1);
    assertThat(secondReady).isPositive();
    assertThat(log.indexOf("sync (startup) ok")).isGreaterThan(secondReady);
    assertThat(log.indexOf("sync (manual) ok")).isGreaterThan(log.indexOf("sync (startup) ok"));
    assertThat(run.count("AnkiConnect patches: config API true, headless sync true")).isGreaterThanOrEqualTo(2);
    assertThat(log).as("no sync was tried against the killed Anki").doesNotContain("anki_unavailable");
  }

  @Test
  void missingHeadlessSyncPatchIsLoggedAndInTheStatusFileAndStopWritesStopped() throws Exception {
    server = SyncServerProcess.start(Files.createDirectories(tmp.resolve("server")),
        Map.of("SYNC_USER1", "alice:pw", "STANDIN_SYNC_SEED", "Spanish:3"));
    run = supervisorWithSync("5m").set("--config-api-prefix", "it.").args("--config-api-enable")
        .env("ANKI_STANDIN_PATCHES", "config-actions").start();

    run.awaitLog("lacks the headless sync patch (anki-connect-headless-sync.patch)");
    assertThat(run.log()).containsPattern("ERROR .*lacks the headless sync patch \\(anki-connect-headless-sync\\.patch\\)");
    assertThat(run.log()).doesNotContain("lacks the config API patch");
    await().atMost(WAIT).until(() -> !status().path("ankiConnect").path("problem").isNull()
        && status().path("ankiConnect").path("problem").isTextual());
    JsonNode connect = status().path("ankiConnect");
    assertThat(connect.path("problem").asText()).contains("anki-connect-headless-sync.patch");
    assertThat(connect.path("patches").path("configApi").asBoolean()).isTrue();
    assertThat(connect.path("patches").path("headlessSync").asBoolean()).isFalse();
    assertThat(status().path("supervisor").path("state").asText()).isEqualTo("ready"); // not a crash

    run.sigterm();
    assertThat(run.awaitExit()).isZero();
    JsonNode doc = status();
    assertThat(doc.path("supervisor").path("state").asText()).isEqualTo("stopped");
    assertThat(doc.path("anki").path("pid").isNull()).isTrue();
    assertThat(doc.path("anki").path("lastExit").path("reason").asText()).isEqualTo("stopped");
    assertThat(run.stateDir.resolve("supervisor.pid")).doesNotExist();
  }

  @Test
  void crashLoopLimitLeavesFailedInTheStatusFile() throws Exception {
    run = new SupervisorProcess(tmp.resolve("run")).set("--max-restarts", "1").set("--restart-window", "5m")
        .env("ANKI_STANDIN_CRASH_AFTER_MS", "300").start();
    assertThat(run.awaitExit()).isEqualTo(69);
    JsonNode doc = status();
    assertThat(doc.path("supervisor").path("state").asText()).isEqualTo("failed");
    assertThat(doc.path("anki").path("lastExit").path("reason").asText()).isEqualTo("crashed");
    assertThat(doc.path("anki").path("lastExit").path("signal").asText()).isEqualTo("SIGABRT");
    assertThat(statusCommand()).isEqualTo(2);
  }

  private static void assertSequential(List<SyncServerProcess.SyncCall> calls) {
    assertThat(calls).as("sync calls in the server log").hasSizeGreaterThanOrEqualTo(4);
    for (int i = 1; i < calls.size(); i++) {
      // 200 ms of slack: the server logs a call a moment after replying, so under load the next call may
      // start before the previous line is stamped; overlapping syncs would overlap by a whole stalled call
      // (400 ms, STANDIN_SYNC_DELAY_MS).
      assertThat(calls.get(i).start().plusMillis(200)).as("call %d starts after call %d ended: %s", i, i - 1, calls)
          .isAfterOrEqualTo(calls.get(i - 1).end());
    }
  }
}
