package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ankisupervisor.ankiconnect.AnkiConnectClient;
import dev.ankisupervisor.ankiconnect.AnkiConnectEndpoint;
import dev.ankisupervisor.standin.syncserver.SyncServerProcess;
import dev.ankisupervisor.testing.FreePort;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile Anki, sync server and operator against the real {@code run} process (the shaded jar,
 * 64 MiB heap as the launcher gives it) supervising the stand-in Anki with the stand-in sync server:
 * syncs longer than OkHttp's default 10 s read timeout, a bootstrap that would overwrite what an app
 * stored, a fresh install with nothing on either side, {@code sync-now} while the first sync is the
 * bootstrap, replies of hundreds of megabytes, a 16 MiB line on Anki's stderr, and SIGHUP.
 */
class HostileSyncIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BOTH_PATCHES = "config-actions,headless-sync";

  @TempDir Path tmp;
  private SupervisorProcess run;
  private SyncServerProcess server;
  private final List<Process> others = new ArrayList<>();

  @AfterEach
  void stopAll() throws Exception {
    for (Process p : others) {
      p.destroyForcibly();
    }
    if (run != null) {
      run.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private SyncServerProcess server(String... kv) throws IOException {
    server = SyncServerProcess.startForAlice(Files.createDirectories(tmp.resolve("server")), kv);
    return server;
  }

  /** A supervisor with a sync login for the server at {@code url}, syncing every {@code interval}. */
  private SupervisorProcess supervisor(String url, String interval) throws IOException {
    Path password = Files.writeString(tmp.resolve("sync-password"), "pw\n");
    return new SupervisorProcess(tmp.resolve("run")).set("--sync-url", url).set("--sync-user", "alice")
        .set("--sync-password-file", password.toString()).set("--sync-interval", interval)
        .set("--config-api-prefix", "app.").args("--config-api-enable").env("ANKI_STANDIN_PATCHES", BOTH_PATCHES);
  }

  private JsonNode status() {
    try {
      return JSON.readTree(Files.readString(run.stateDir.resolve("sync-status.json")));
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }

  private String syncState() {
    return status().path("sync").path("state").asText();
  }

  private AnkiConnectClient anki() {
    return new AnkiConnectClient(new AnkiConnectEndpoint("http://127.0.0.1:" + run.port + "/", Optional.empty()));
  }

  /** Runs one of our commands as its own small JVM (the launcher's 64 MiB heap); returns exit code and output. */
  private CommandRun command(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(SupervisorProcess.JAVA));
    cmd.addAll(SupervisorProcess.SMALL_JVM);
    cmd.addAll(List.of("-jar", SupervisorProcess.JAR));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("ANKI_SUPERVISOR_"));
    Process p = pb.start();
    others.add(p);
    long start = System.nanoTime();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    return new CommandRun(p.exitValue(), new String(out, StandardCharsets.UTF_8),
        Duration.ofNanos(System.nanoTime() - start));
  }

  private record CommandRun(int code, String output, Duration took) {}

  private CommandRun syncNow(String timeout) throws Exception {
    return command("sync-now", "--supervisor-pid-file", run.stateDir.resolve("supervisor.pid").toString(),
        "--status-file", run.stateDir.resolve("sync-status.json").toString(), "--timeout", timeout);
  }

  // ---- every client timeout is the documented one; a sync in flight is never a liveness miss ----

  @Test
  void aSyncLongerThanTenSecondsIsNeitherCutNorCountedAsAHang() throws Exception {
    server();
    // each sync blocks AnkiConnect for 12 s (A3), past OkHttp's default 10 s read timeout
    run = supervisor(server.url(), "1h").env("ANKI_STANDIN_SYNC_DELAY_MS", "12000").start();
    run.awaitLog("sync (startup) ");
    assertThat(run.log()).contains("sync (startup) waiting_for_first_upload in 1")
        .doesNotContain("sync (startup) timeout", "liveness probe `version` missed", "Anki looks hung");
    assertThat(syncState()).isEqualTo("waiting_for_first_upload");
  }

  // ---- the bootstrap never overwrites what a user or an app put there ----

  /** The sync server is down at first; an app stores something; then the server comes up with data. */
  private void appStoresThenServerComesUp(String action, Map<String, ?> params) throws Exception {
    int serverPort = FreePort.find();
    run = supervisor("http://127.0.0.1:" + serverPort + "/", "1s").start();
    run.awaitLog("sync (startup) network_error");
    anki().call(action, params, Duration.ofSeconds(10));
    server("SYNC_PORT", Integer.toString(serverPort), "STANDIN_SYNC_SEED", "Server:3");
    await().atMost(WAIT).until(() -> syncState().equals("full_sync_required"));
  }

  @Test
  void aDeckAnAppCreatedBeforeTheServerCameUpIsNeverOverwritten() throws Exception {
    appStoresThenServerComesUp("createDeck", Map.of("deck", "MadeByAnApp"));
    JsonNode sync = status().path("sync");
    assertThat(sync.path("fullSyncDirection").asText()).isEqualTo("download");
    assertThat(sync.path("error").path("message").asText()).contains("MadeByAnApp", "full-sync --download --yes --force");
    assertThat(anki().call("deckNames", Duration.ofSeconds(10)).toString()).contains("MadeByAnApp")
        .doesNotContain("Server");
  }

  @Test
  void aConfigKeyAnAppStoredBeforeTheServerCameUpIsNeverOverwritten() throws Exception {
    appStoresThenServerComesUp("setConfig", Map.of("key", "app.settings", "val", "keep me"));
    assertThat(status().path("sync").path("fullSyncDirection").asText()).isEqualTo("download");
    assertThat(anki().call("getConfig", Map.of("key", "app.settings"), Duration.ofSeconds(10)).asText())
        .isEqualTo("keep me");
    assertThat(anki().call("deckNames", Duration.ofSeconds(10)).toString()).doesNotContain("Server");
  }

  // ---- a correct fresh install ends green ----

  @Test
  void aFreshInstallWaitsForAFirstUploadAtOkThenBootstrapsByItself() throws Exception {
    server();
    run = supervisor(server.url(), "1s").start();
    await().atMost(WAIT).until(() -> syncState().equals("waiting_for_first_upload"));
    CommandRun status = command("status", "--status-file", run.stateDir.resolve("sync-status.json").toString());
    assertThat(status.code()).as(status.output()).isZero();
    assertThat(status.output()).startsWith("OK: ").contains("waiting for a first device to upload");
    server.addDeck("alice", "FromThePhone", 2); // a device uploads
    run.awaitLog("bootstrap complete: 2 decks, 2 cards");
    assertThat(anki().call("deckNames", Duration.ofSeconds(10)).toString()).contains("FromThePhone");
  }

  @Test
  void aFreshInstallCheckedBeforeAnyUploadStillBootstraps() throws Exception {
    server();
    run = supervisor(server.url(), "1s").start();
    await().atMost(WAIT).until(() -> syncState().equals("waiting_for_first_upload"));
    // The guide runs `check` right after the install: its round trip (step c) leaves its key behind,
    // set to null since P1 has no delete; a null key holds nothing, so the download is still lossless.
    CommandRun check = command("check", "--url", "http://127.0.0.1:" + run.port + "/", "--config-prefix", "app.",
        "--status-file", run.stateDir.resolve("sync-status.json").toString());
    assertThat(check.output()).contains("PASS c config-round-trip");
    server.addDeck("alice", "FromThePhone", 2); // a device uploads
    run.awaitLog("bootstrap complete: 2 decks, 2 cards");
    assertThat(syncState()).isEqualTo("ok");
  }

  // ---- sync-now and the bootstrap ----

  @Test
  void syncNowOnAFreshProfileReportsTheBootstrapItBecame() throws Exception {
    server("STANDIN_SYNC_SEED", "Server:3");
    run = supervisor(server.url(), "1h").args("--no-sync-on-start").start();
    run.awaitReady(1);
    CommandRun now = syncNow("30s");
    assertThat(now.code()).as(now.output()).isZero();
    assertThat(now.output()).contains("sync ok (bootstrap)");
    assertThat(now.took()).isLessThan(Duration.ofSeconds(25));
  }

  @Test
  void syncNowDuringABootstrapSaysSoAndWaitsForIt() throws Exception {
    server("STANDIN_SYNC_SEED", "Server:3");
    // the startup sync and its bootstrap download take 3 s each
    run = supervisor(server.url(), "1h").env("ANKI_STANDIN_SYNC_DELAY_MS", "3000").start();
    run.awaitLog("bootstrap: the local collection");
    CommandRun now = syncNow("1s");
    assertThat(now.code()).as(now.output()).isZero();
    assertThat(now.output()).contains("a bootstrap (the first full download", "sync ok (bootstrap)");
  }

  // ---- replies larger than any real answer ----

  @Test
  void aHugeVersionReplyIsAFailedProbeNotAQuietDeath() throws Exception {
    run = new SupervisorProcess(tmp.resolve("run")).env("ANKI_STANDIN_HUGE_REPLY", "version:300").start();
    run.awaitReady(1);
    run.awaitLog("is larger than any answer AnkiConnect gives");
    run.awaitLog("Anki looks hung");
    assertThat(run.log()).doesNotContain("OutOfMemoryError");
    assertThat(run.process().isAlive()).isTrue();
  }

  @Test
  void aHugeCardListDuringTheBootstrapCheckIsRecordedAndTheLoopGoesOn() throws Exception {
    server("STANDIN_SYNC_SEED", "Server:3");
    run = supervisor(server.url(), "2s").env("ANKI_STANDIN_HUGE_REPLY", "findCards:300").start();
    await().atMost(WAIT).until(() -> syncState().equals("unknown") && status().path("sync").path("consecutiveFailures")
        .asInt() >= 2);
    assertThat(status().path("sync").path("error").path("message").asText()).contains("findCards", "larger than");
    assertThat(status().path("sync").path("nextSyncAt").isNull()).isFalse();
    assertThat(run.log()).doesNotContain("OutOfMemoryError");
  }

  @Test
  void checkAndDoctorReportAHugeReplyAsAFailedStep() throws Exception {
    run = new SupervisorProcess(tmp.resolve("run")).env("ANKI_STANDIN_HUGE_REPLY", "version:300").start();
    run.awaitReady(1);
    String url = "http://127.0.0.1:" + run.port + "/";
    CommandRun check = command("check", "--url", url);
    assertThat(check.output()).doesNotContain("OutOfMemoryError", "Exception in thread").contains("larger than");
    assertThat(check.code()).as(check.output()).isBetween(1, 8);
    CommandRun doctor = command("doctor", "--base", run.base.toString(), "--bind", "127.0.0.1", "--connect-port",
        Integer.toString(run.port), "--state-dir", run.stateDir.toString(), "--status-file",
        run.stateDir.resolve("sync-status.json").toString(), "--profile", "server");
    assertThat(doctor.output()).doesNotContain("OutOfMemoryError", "Exception in thread");
    assertThat(doctor.code()).as(doctor.output()).isNotEqualTo(1);
  }

  // ---- Anki's output ----

  @Test
  void aSixteenMegabyteLineOnAnkisStderrIsCutAndTheRelayGoesOn() throws Exception {
    run = new SupervisorProcess(tmp.resolve("run")).env("ANKI_STANDIN_STDERR_LINE_MB", "16").start();
    run.awaitReady(1);
    run.awaitLog("[line cut: 16777216 bytes, the first 8192 kept]");
    // the relay goes on: the stand-in's next line arrives, and Anki is still the first one
    run.awaitLog("printed a 16 MiB line on stderr");
    assertThat(run.log()).doesNotContain("OutOfMemoryError", "relaunching Anki");
    assertThat(status().path("anki").path("restarts").asInt()).isZero();
  }

  // ---- signals ----

  @Test
  void sighupStopsCleanlyAsSigtermDoes() throws Exception {
    run = new SupervisorProcess(tmp.resolve("run")).start();
    run.awaitReady(1);
    long anki = run.ankiPid();
    SupervisorProcess.signal(run.process().pid(), "HUP");
    assertThat(run.process().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(run.process().exitValue()).isZero();
    assertThat(run.log()).contains("received SIGHUP; stopping");
    assertThat(ProcessHandle.of(anki).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(run.stateDir.resolve("supervisor.pid")).doesNotExist();
    assertThat(status().path("supervisor").path("state").asText()).isEqualTo("stopped");
  }
}
