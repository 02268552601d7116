package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ankisupervisor.testing.RealAnkiConnect;
import dev.ankisupervisor.testing.RealAnkiDevice;
import dev.ankisupervisor.testing.RealAnkiSyncServer;
import dev.ankisupervisor.testing.RealAnkiResources;
import dev.ankisupervisor.testing.RealAnkiVenv;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Real Anki under {@code run} with the real sync server that already holds a second device's
 * collection (two notes in deck "Device"), as root and as a system user: the prefs21.db the
 * supervisor writes opens the named profile with no dialog, the fresh profile downloads the server's
 * collection (bootstrap, C8/P2), and a note added through AnkiConnect reaches the server by
 * {@code sync-now} and by the interval sync, read from the server's collection after the server
 * stopped (S2). SIGTERM ends with exit 0, the collection closed and nothing left (C6, C7).
 */
class RealAnkiSyncIT {
  private static final String USER = "user";
  private static final String PASSWORD = "pass";
  @RegisterExtension static final RealAnkiResources real = new RealAnkiResources();

  @TempDir Path dir;
  @TempDir Path serverDir;
  private RealAnkiSyncServer server;
  private RealAnkiRun run;

  /** The server with the second device's collection: notes "alpha" and "beta" in deck "Device". */
  private void serverWithDeviceCollection() throws Exception {
    server = real.closeAfterTest(new RealAnkiSyncServer(real.venv(), serverDir, USER + ":" + PASSWORD)).start();
    RealAnkiDevice.Summary uploaded = new RealAnkiDevice(real.venv())
        .upload(serverDir.resolve("device/collection.anki2"), server, USER, PASSWORD, "Device", "alpha", "beta");
    assertThat(uploaded.fronts()).containsExactly("alpha", "beta");
  }

  @ParameterizedTest
  @EnumSource(RealAnkiRun.As.class)
  void syncNowOnAFreshProfileIsTheBootstrapThenCarriesANoteAndSigtermClosesTheCollection(RealAnkiRun.As as)
      throws Exception {
    serverWithDeviceCollection();
    run = real.closeAfterTest(new RealAnkiRun(dir, real.venv(), as)).sync(server, USER, PASSWORD, "0");
    run.sup.args("--no-sync-on-start");
    run.start();
    run.awaitReady(1);
    RealAnkiConnect anki = run.connect();
    // prefs21.db as prepared: the named profile is open, no chooser, no first-run or language dialog (C2, C3).
    assertThat(anki.call("getActiveProfile", "{}").asText()).isEqualTo(RealAnkiRun.PROFILE);

    // First boot, asked for by sync-now: the fresh profile's first sync is a full download of the
    // server's collection (C8, P2), and sync-now reports that sync (it is recorded as the bootstrap).
    JarCommand.Result first = syncNow();
    assertThat(first.exit()).as("%s\n%s", first, run.sup.log()).isZero();
    assertThat(first.out()).contains("sync ok (bootstrap)");
    assertThat(run.sup.log()).contains("bootstrap complete: 2 decks, 2 cards");
    assertThat(anki.call("deckNames", "{}")).extracting(n -> n.asText()).contains("Device");
    assertThat(anki.call("findCards", "{\"query\": \"deck:Device\"}")).hasSize(2);

    // A note added through AnkiConnect reaches the server by sync-now (no interval sync runs: --sync-interval 0).
    anki.addNote("Device", "gamma");
    JarCommand.Result now = syncNow();
    assertThat(now.exit()).as("%s\n%s", now, run.sup.log()).isZero();
    assertThat(now.out()).contains("sync ok (manual)");
    server.stop();
    assertThat(new RealAnkiDevice(real.venv()).read(server.collection(USER)).fronts()).containsExactly("alpha", "beta", "gamma");

    // SIGTERM: exit 0, the collection closed (no -wal with content), no process of the run left (C6, C7).
    assertThat(run.sigterm()).as(run.sup.log()).isZero();
    run.assertCollectionClosed();
    run.assertNothingLeft();
    assertThat(new RealAnkiDevice(real.venv()).read(run.collection()).fronts()).containsExactly("alpha", "beta", "gamma");
  }

  private JarCommand.Result syncNow() throws Exception {
    return run.command("sync-now", "--supervisor-pid-file", run.sup.stateDir.resolve("supervisor.pid").toString(),
        "--status-file", run.sup.stateDir.resolve("sync-status.json").toString(),
        "--timeout", RealAnkiVenv.BOUND.toSeconds() + "s").run();
  }

  @ParameterizedTest
  @EnumSource(RealAnkiRun.As.class)
  void aNoteAddedThroughAnkiConnectReachesTheServerByTheIntervalSync(RealAnkiRun.As as) throws Exception {
    serverWithDeviceCollection();
    run = real.closeAfterTest(new RealAnkiRun(dir, real.venv(), as)).sync(server, USER, PASSWORD, "2s").start();
    run.awaitReady(1);
    // First boot by the startup sync: the fresh profile downloads the server's collection.
    run.awaitSync("the bootstrap sync", s -> "bootstrap".equals(s.path("trigger").asText())
        && "ok".equals(s.path("state").asText()));
    assertThat(run.connect().call("findCards", "{\"query\": \"deck:Device\"}")).hasSize(2);
    Instant added = Instant.now();
    run.connect().addNote("Device", "delta");
    run.awaitSync("an interval sync after the note was added", RealAnkiRun.okSince("interval", added));
    server.stop();
    assertThat(new RealAnkiDevice(real.venv()).read(server.collection(USER)).fronts()).containsExactly("alpha", "beta", "delta");
    assertThat(run.sigterm()).as(run.sup.log()).isZero();
  }
}
