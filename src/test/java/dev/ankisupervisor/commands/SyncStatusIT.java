package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ankisupervisor.ankiconnect.AddonPatches;
import dev.ankisupervisor.ankiconnect.AnkiConnectClient;
import dev.ankisupervisor.ankiconnect.AnkiConnectEndpoint;
import dev.ankisupervisor.model.SupervisorState;
import dev.ankisupervisor.os.ProcessIdentity;
import dev.ankisupervisor.os.Scheduler;
import dev.ankisupervisor.standin.syncserver.SyncServerProcess;
import dev.ankisupervisor.status.MetricsWriter;
import dev.ankisupervisor.status.StatusPublisher;
import dev.ankisupervisor.status.StatusWriter;
import dev.ankisupervisor.statusfile.AnkiView;
import dev.ankisupervisor.statusfile.ConnectView;
import dev.ankisupervisor.statusfile.StatusDocument;
import dev.ankisupervisor.statusfile.SupervisorView;
import dev.ankisupervisor.statusfile.SyncView;
import dev.ankisupervisor.sync.SyncLoop;
import dev.ankisupervisor.sync.SyncRunner;
import dev.ankisupervisor.sync.SyncSnapshot;
import dev.ankisupervisor.testing.AddonDir;
import dev.ankisupervisor.testing.FreePort;
import dev.ankisupervisor.testing.Prefs;
import dev.ankisupervisor.testing.StandInAnkiProcess;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Sync end to end, without the supervisor: the sync loop against stand-in Anki and the
 * stand-in sync server publishes sync-status.json; {@code status} says OK after the bootstrap,
 * WARNING then CRITICAL once the server stops, and OK again when it returns.
 */
class SyncStatusIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  @TempDir Path tmp;
  private SyncServerProcess server;
  private StandInAnkiProcess anki;
  private SyncLoop loop;

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

  /** The mapping the wired supervisor makes from the sync loop's snapshot to the status file. */
  static SyncView toView(SyncSnapshot s) {
    return new SyncView(s.state(), s.trigger().orElse(null),
        s.lastAttemptAt().orElse(null), s.lastFinishedAt().orElse(null), s.lastDurationMs().orElse(null),
        s.lastSuccessAt().orElse(null), s.consecutiveFailures(), s.nextSyncAt().orElse(null), s.intervalSeconds(),
        s.fullSyncDirection().orElse(null),
        s.errorKind().map(k -> new SyncView.SyncError(k, s.errorMessage().orElse(""))).orElse(null));
  }

  private int status(Path file, StringWriter out) {
    CommandLine cl = AnkiSupervisorCommand.newCommandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(new StringWriter()));
    return cl.execute("status", "--status-file", file.toString());
  }

  @Test
  void statusFollowsTheSyncServerGoingAwayAndComingBack() throws Exception {
    server = SyncServerProcess.start(Files.createDirectories(tmp.resolve("server")),
        Map.of("SYNC_USER1", "alice:pw", "STANDIN_SYNC_SEED", "deckA:2"));
    int serverPort = server.port();
    Path base = tmp.resolve("anki");
    int port = FreePort.find();
    Prefs.seed("server").profileValue("server", "syncKey", SyncServerProcess.hostKey("alice:pw"))
        .profileValue("server", "syncUser", "alice").profileValue("server", "customSyncUrl", server.url()).write(base);
    AddonDir.write(base, port);
    anki = StandInAnkiProcess.builder(base).port(port).env("ANKI_STANDIN_PATCHES", "headless-sync").start();
    anki.waitForApi(WAIT);
    anki.waitForOutput("ready: profile server open", WAIT);

    Path file = tmp.resolve("sync-status.json");
    Path metrics = tmp.resolve("anki-supervisor.prom");
    Instant now = Instant.now();
    String url = "http://127.0.0.1:" + port + "/";
    StatusPublisher publisher = new StatusPublisher(new StatusDocument(1, now,
        new SupervisorView(ProcessIdentity.current(), "0.1.0", now, SupervisorState.READY),
        new AnkiView(anki.pid(), "server", now, 0, null), new ConnectView(url, null, null, null, null),
        SyncView.initial(Duration.ofSeconds(2))), new StatusWriter(file), Optional.of(new MetricsWriter(metrics)),
        Clock.systemUTC());
    publisher.publish();
    SyncRunner runner = new SyncRunner(new AnkiConnectClient(new AnkiConnectEndpoint(url, Optional.empty())),
        Optional.of(server.url()), SyncRunner.Options.DEFAULT, Clock.systemUTC());
    loop = new SyncLoop(runner::sync, Duration.ofSeconds(2), true, Clock.systemUTC(), Scheduler.newThread("sync"),
        s -> publisher.update(d -> d.withSync(toView(s)).withConnect(d.ankiConnect().withPatches(
            s.patches().map(p -> new AddonPatches(p.configApi(), p.headlessSync())).orElse(null),
            s.ankiConnectProblem().orElse(null)))));
    loop.resume();

    await().atMost(WAIT).until(() -> {
      StringWriter out = new StringWriter();
      return status(file, out) == 0 && out.toString().contains("sync: ok");
    });
    assertThat(Files.readString(file)).contains("\"headlessSync\" : true");
    assertThat(anki.callAction("deckNames", null)).contains("deckA"); // the bootstrap downloaded it
    assertThat(Files.readString(metrics)).contains("anki_supervisor_sync_attempts_total{result=\"ok\"}");

    server.close();
    await().atMost(WAIT).until(() -> status(file, new StringWriter()) == 1);
    await().atMost(WAIT).until(() -> status(file, new StringWriter()) == 2);
    StringWriter critical = new StringWriter();
    assertThat(status(file, critical)).isEqualTo(2);
    assertThat(critical.toString()).contains("more than 3 intervals");

    server = SyncServerProcess.start(tmp.resolve("server"),
        Map.of("SYNC_USER1", "alice:pw", "SYNC_PORT", Integer.toString(serverPort)));
    await().atMost(WAIT).until(() -> status(file, new StringWriter()) == 0);
  }
}
