package dev.ankisupervisor.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ankisupervisor.ankiconnect.AddonPatches;
import dev.ankisupervisor.ankiconnect.AnkiConnectClient;
import dev.ankisupervisor.ankiconnect.AnkiConnectEndpoint;
import dev.ankisupervisor.ankiconnect.PatchProbe;
import dev.ankisupervisor.model.FullSyncDirection;
import dev.ankisupervisor.model.SyncOutcome;
import dev.ankisupervisor.model.SyncTrigger;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SyncRunner against replayed AnkiConnect envelopes (A2, A4, P2); the stand-in ITs cover the real thing. */
class SyncRunnerTest {
  private final ScriptedAnkiConnect anki;
  private SyncRunner.Options options = new SyncRunner.Options(Duration.ofSeconds(5), Duration.ofSeconds(1),
      Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(5));

  SyncRunnerTest() throws IOException {
    anki = new ScriptedAnkiConnect();
  }

  @AfterEach
  void close() throws IOException {
    anki.close();
  }

  /** What the last runner made learnt about the add-on. */
  private PatchProbe patches;

  private SyncRunner runner(Optional<String> syncUrl) {
    AnkiConnectClient client = new AnkiConnectClient(new AnkiConnectEndpoint(anki.url(), Optional.of("k")));
    patches = new PatchProbe(client, options.probeTimeout());
    return new SyncRunner(client, patches, syncUrl, options, Clock.systemUTC());
  }

  /** A runner of a supervisor that runs as the systemd unit {@code unit}. */
  private SyncRunner runnerUnder(String unit) {
    AnkiConnectClient client = new AnkiConnectClient(new AnkiConnectEndpoint(anki.url(), Optional.of("k")));
    return new SyncRunner(client, new PatchProbe(client, options.probeTimeout()), Optional.empty(), options,
        Clock.systemUTC(), new FullSyncCommands(Optional.of(unit)));
  }

  @Test
  void usesHeadlessSyncWhenTheAddonHasP2AndAsksApiReflectOnce() {
    anki.actions(ScriptedAnkiConnect.P2_ACTIONS).result("headlessSync",
        "{\"required\": \"normal_sync\", \"serverMessage\": \"\"}");
    SyncRunner runner = runner(Optional.empty());
    SyncResult first = runner.sync(SyncTrigger.STARTUP);
    SyncResult second = runner.sync(SyncTrigger.INTERVAL);
    assertThat(first.outcome()).isEqualTo(SyncOutcome.OK);
    assertThat(second.outcome()).isEqualTo(SyncOutcome.OK);
    assertThat(anki.actionsCalled()).containsExactly("apiReflect", "headlessSync", "headlessSync");
    assertThat(anki.requests().get(0).get("params").toString()).isEqualTo("{\"scopes\":[\"actions\"]}");
    assertThat(anki.requests().get(0).get("key").asText()).isEqualTo("k");
    assertThat(patches.known()).contains(new AddonPatches(false, true));
  }

  @Test
  void aForgottenAddonIsAskedAgain() {
    anki.actions(ScriptedAnkiConnect.P2_ACTIONS).result("headlessSync", "{\"required\": \"no_changes\"}")
        .result("deckNames", "[\"Default\"]").result("findCards", "[7]");
    SyncRunner runner = runner(Optional.empty());
    runner.sync(SyncTrigger.STARTUP);
    patches.forget();
    runner.sync(SyncTrigger.INTERVAL);
    // the local cards are counted once, after the first sync with no changes (a fresh install's check)
    assertThat(anki.actionsCalled()).containsExactly("apiReflect", "headlessSync", "deckNames", "findCards",
        "apiReflect", "headlessSync");
  }

  @Test
  void stockAddonUsesTheStockSyncAction() {
    anki.actions(ScriptedAnkiConnect.STOCK_ACTIONS).result("sync", "null");
    SyncResult r = runner(Optional.empty()).sync(SyncTrigger.STARTUP);
    assertThat(r.outcome()).isEqualTo(SyncOutcome.OK);
    assertThat(anki.actionsCalled()).containsExactly("apiReflect", "sync");
    assertThat(patches.known()).contains(new AddonPatches(false, false));
  }

  @Test
  void stockAddonNeedingAFullSyncCannotBootstrap() {
    anki.actions(ScriptedAnkiConnect.STOCK_ACTIONS).error("sync", "Sync status 3 not one of [0, 1]");
    SyncResult r = runner(Optional.empty()).sync(SyncTrigger.STARTUP);
    assertThat(r.outcome()).isEqualTo(SyncOutcome.FULL_SYNC_REQUIRED);
    assertThat(r.fullSyncDirection()).contains(FullSyncDirection.DOWNLOAD);
    assertThat(anki.actionsCalled()).containsExactly("apiReflect", "sync");
    assertThat(r.message()).endsWith("; to resolve it run: `anki-supervisor full-sync --download --yes`");
  }

  @Test
  void underAUnitTheSuggestedCommandsNameItSoThatTheyReadTheServicesSettings() {
    anki.actions(ScriptedAnkiConnect.P2_ACTIONS)
        .result("headlessSync", "{\"required\": \"full_sync\", \"serverMessage\": \"\"}")
        .result("deckNames", "[\"Default\"]").result("findCards", "[1, 2]")
        .result("headlessSync", "{\"required\": \"full_upload\", \"serverMessage\": \"\"}")
        .result("deckNames", "[\"Default\"]").result("findCards", "[1, 2]");
    SyncRunner runner = runnerUnder("anki-connect@alice");
    assertThat(runner.sync(SyncTrigger.INTERVAL).message()).endsWith("; to resolve it run:"
        + " `anki-supervisor full-sync --unit anki-connect@alice --download --yes --force` to keep the server's copy,"
        + " or `anki-supervisor full-sync --unit anki-connect@alice --upload --yes --force` to keep this one");
    assertThat(runner.sync(SyncTrigger.INTERVAL).message())
        .endsWith("; to resolve it run: `anki-supervisor full-sync --unit anki-connect@alice --upload --yes`");
  }

  @Test
  void emptyLocalCollectionIsBootstrappedByAFullDownload() {
    anki.actions(ScriptedAnkiConnect.P2_ACTIONS)
        .result("headlessSync", "{\"required\": \"full_download\", \"serverMessage\": \"\"}")
        .result("deckNames", "[\"Default\"]").result("findCards", "[]")
        .result("fullSync", "{\"direction\": \"download\"}")
        .result("deckNames", "[\"Default\", \"Spanish\"]").result("findCards", "[11, 12, 13]");
    SyncResult r = runner(Optional.empty()).sync(SyncTrigger.STARTUP);
    assertThat(r.outcome()).isEqualTo(SyncOutcome.OK);
    assertThat(r.trigger()).isEqualTo(SyncTrigger.BOOTSTRAP);
    assertThat(r.message()).isEqualTo("bootstrap complete: 2 decks, 3 cards");
    assertThat(anki.actionsCalled())
        .containsExactly("apiReflect", "headlessSync", "deckNames", "findCards", "fullSync", "deckNames", "findCards");
    assertThat(anki.requests().get(4).get("params").toString())
        .isEqualTo("{\"direction\":\"download\",\"force\":false}");
  }

  @Test
  void fullSyncWithLocalCardsNeverOverwritesAndNamesTheCommand() {
    anki.actions(ScriptedAnkiConnect.P2_ACTIONS)
        .result("headlessSync", "{\"required\": \"full_sync\", \"serverMessage\": \"\"}")
        .result("deckNames", "[\"Default\"]").result("findCards", "[1, 2]");
    SyncResult r = runner(Optional.empty()).sync(SyncTrigger.INTERVAL);
    assertThat(r.outcome()).isEqualTo(SyncOutcome.FULL_SYNC_REQUIRED);
    assertThat(r.fullSyncDirection()).contains(FullSyncDirection.EITHER);
    assertThat(r.message()).contains("`anki-supervisor full-sync --download --yes --force`",
        "`anki-supervisor full-sync --upload --yes --force`");
    assertThat(anki.actionsCalled()).doesNotContain("fullSync");
  }

  @Test
  void aRefusedDownloadOffersBothSidesInTheClauseDoctorFindsAgain() {
    // an app made a deck; the server has another device's collection
    anki.actions(ScriptedAnkiConnect.P2_ACTIONS)
        .result("headlessSync", "{\"required\": \"full_download\", \"serverMessage\": \"\"}")
        .result("deckNames", "[\"Default\", \"MadeByAnApp\"]").result("findCards", "[]");
    SyncResult r = runnerUnder("anki-connect").sync(SyncTrigger.INTERVAL);
    assertThat(r.outcome()).isEqualTo(SyncOutcome.FULL_SYNC_REQUIRED);
    assertThat(r.fullSyncDirection()).contains(FullSyncDirection.DOWNLOAD);
    assertThat(anki.actionsCalled()).doesNotContain("fullSync");
    assertThat(FullSyncCommands.resolutionIn(r.message())).contains("`anki-supervisor full-sync --unit anki-connect"
        + " --download --yes --force` to keep the server's copy, or `anki-supervisor full-sync --unit anki-connect"
        + " --upload --yes --force` to keep this one");
  }

  @Test
  void unreachableSyncServerIsANetworkErrorBeforeAnkiIsAsked() throws IOException {
    int deadPort;
    try (ServerSocket s = new ServerSocket(0)) {
      deadPort = s.getLocalPort();
    }
    anki.actions(ScriptedAnkiConnect.P2_ACTIONS).result("headlessSync", "{\"required\": \"no_changes\"}");
    SyncResult r = runner(Optional.of("http://127.0.0.1:" + deadPort)).sync(SyncTrigger.STARTUP);
    assertThat(r.outcome()).isEqualTo(SyncOutcome.NETWORK_ERROR);
    assertThat(r.message()).contains("sync server unreachable", "http://127.0.0.1:" + deadPort + "/health",
        "--sync-url");
    assertThat(anki.actionsCalled()).containsExactly("apiReflect");
  }

  @Test
  void healthySyncServerThenBadLoginIsAuthFailed() {
    anki.actions(ScriptedAnkiConnect.P2_ACTIONS)
        .error("headlessSync", "Email or password was incorrect; please try again.");
    SyncResult r = runner(Optional.of(anki.url())).sync(SyncTrigger.STARTUP);
    assertThat(r.outcome()).isEqualTo(SyncOutcome.AUTH_FAILED);
  }

  @Test
  void failingHealthIsServerError() {
    anki.healthCode(503);
    anki.actions(ScriptedAnkiConnect.P2_ACTIONS);
    SyncResult r = runner(Optional.of(anki.url())).sync(SyncTrigger.STARTUP);
    assertThat(r.outcome()).isEqualTo(SyncOutcome.SERVER_ERROR);
    assertThat(r.message()).contains("HTTP 503");
  }

  @Test
  void syncPastTheCallTimeoutIsTimeout() {
    options = new SyncRunner.Options(Duration.ofMillis(200), Duration.ofMillis(100), Duration.ofSeconds(5),
        Duration.ofSeconds(2), Duration.ofSeconds(5));
    anki.actions(ScriptedAnkiConnect.P2_ACTIONS).slow("headlessSync", 3000);
    SyncResult r = runner(Optional.empty()).sync(SyncTrigger.INTERVAL);
    assertThat(r.outcome()).isEqualTo(SyncOutcome.TIMEOUT);
    assertThat(r.durationMs()).isBetween(250L, 2900L);
  }

  @Test
  void nothingListeningIsAnkiUnavailable() throws IOException {
    anki.close();
    SyncResult r = runner(Optional.empty()).sync(SyncTrigger.INTERVAL);
    assertThat(r.outcome()).isEqualTo(SyncOutcome.ANKI_UNAVAILABLE);
    assertThat(patches.known()).isEmpty();
  }

  @Test
  void noProfileOpenIsAnkiUnavailable() {
    anki.error("apiReflect", "collection is not available");
    assertThat(runner(Optional.empty()).sync(SyncTrigger.INTERVAL).outcome()).isEqualTo(SyncOutcome.ANKI_UNAVAILABLE);
  }
}
