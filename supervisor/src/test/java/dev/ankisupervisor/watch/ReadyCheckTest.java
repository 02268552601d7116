package dev.ankisupervisor.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ankisupervisor.ankiconnect.AddonPatches;
import dev.ankisupervisor.ankiconnect.AnkiConnectClient;
import dev.ankisupervisor.ankiconnect.AnkiConnectEndpoint;
import dev.ankisupervisor.ankiconnect.Patch;
import dev.ankisupervisor.ankiconnect.PatchProbe;
import dev.ankisupervisor.model.SupervisorState;
import dev.ankisupervisor.status.StatusPublisher;
import dev.ankisupervisor.status.StatusWriter;
import dev.ankisupervisor.statusfile.AnkiView;
import dev.ankisupervisor.statusfile.ConnectView;
import dev.ankisupervisor.statusfile.StatusDocument;
import dev.ankisupervisor.statusfile.SupervisorView;
import dev.ankisupervisor.statusfile.SyncView;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The patch check at ready (A4) against a replayed apiReflect answer (A2 envelope). */
class ReadyCheckTest {
  private static final Instant T0 = Instant.parse("2026-11-26T09:00:00Z");
  private static final String ONLY_P1 = "{\"result\": {\"scopes\": [\"actions\"], \"actions\": [\"version\","
      + " \"deckNames\", \"sync\", \"getConfig\", \"setConfig\"]}, \"error\": null}";
  @TempDir Path tmp;
  private final MockWebServer server = new MockWebServer();
  private StatusPublisher publisher;

  @BeforeEach
  void start() throws Exception {
    server.start();
    publisher = new StatusPublisher(new StatusDocument(1, T0, new SupervisorView(1, 1L, "0.1.0", T0, SupervisorState.READY),
        new AnkiView(2L, "server", T0, 0, null), new ConnectView("http://x/", null, null, null, null),
        SyncView.initial(Duration.ofMinutes(5))), new StatusWriter(tmp.resolve("sync-status.json")), Optional.empty(),
        Clock.systemUTC());
  }

  @AfterEach
  void stop() throws Exception {
    server.shutdown();
  }

  private PatchProbe probe() {
    return new PatchProbe(new AnkiConnectClient(new AnkiConnectEndpoint(server.url("/").toString(), Optional.empty())),
        Duration.ofSeconds(2));
  }

  @Test
  void missingHeadlessSyncIsAProblemNamingThePatchFile() throws Exception {
    server.enqueue(new MockResponse().setBody(ONLY_P1));
    ReadyCheck check = new ReadyCheck(EnumSet.allOf(Patch.class), publisher);
    PatchProbe probe = probe();

    check.run(probe);

    // the syncs after it need not ask again
    assertThat(probe.known()).contains(new AddonPatches(true, false));
    ConnectView connect = publisher.current().ankiConnect();
    assertThat(connect.patches()).isEqualTo(new AddonPatches(true, false));
    assertThat(connect.problem()).contains("the headless sync patch", "anki-connect-headless-sync.patch").doesNotContain("config API");
    assertThat(connect.url()).isEqualTo("http://x/");
    RecordedRequest asked = server.takeRequest();
    assertThat(asked.getBody().readUtf8()).contains("\"apiReflect\"");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void nothingNeededMeansNoProblemButPatchesAreShown() {
    server.enqueue(new MockResponse().setBody(ONLY_P1));
    ReadyCheck check = new ReadyCheck(EnumSet.noneOf(Patch.class), publisher);

    check.run(probe());

    assertThat(publisher.current().ankiConnect().problem()).isNull();
    assertThat(publisher.current().ankiConnect().patches()).isEqualTo(new AddonPatches(true, false));
  }

  @Test
  void unansweredApiReflectLeavesTheFileAloneAndTheRunnerToAsk() throws Exception {
    server.shutdown();
    ReadyCheck check = new ReadyCheck(EnumSet.allOf(Patch.class), publisher);
    StatusDocument before = publisher.current();
    PatchProbe probe = probe();

    check.run(probe);

    assertThat(probe.known()).isEmpty();
    assertThat(publisher.current()).isEqualTo(before);
  }
}
