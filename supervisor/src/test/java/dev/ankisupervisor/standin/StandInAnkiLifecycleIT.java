package dev.ankisupervisor.standin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ankisupervisor.testing.AddonDir;
import dev.ankisupervisor.testing.FreePort;
import dev.ankisupervisor.testing.Prefs;
import dev.ankisupervisor.testing.StandInAnkiProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The normal life of a stand-in Anki: open, answer, close cleanly on SIGTERM (C6, C7, A4). */
class StandInAnkiLifecycleIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  @TempDir Path base;
  private StandInAnkiProcess anki;

  @AfterEach
  void killAll() {
    if (anki != null) {
      anki.close();
    }
  }

  private StandInAnkiProcess start(StandInAnkiProcess.Builder b) throws Exception {
    anki = b.start();
    return anki;
  }

  @Test
  void opensSeededProfileAndClosesCleanlyOnSigterm() throws Exception {
    int port = FreePort.find();
    Prefs.seed("server").write(base);
    AddonDir.write(base, port);
    start(StandInAnkiProcess.builder(base).port(port));
    anki.waitForApi(WAIT);
    assertThat(anki.callAction("version", null)).isEqualTo("{\"result\":6,\"error\":null}");
    anki.waitForOutput("ready: profile server open", WAIT);
    assertThat(anki.callAction("deckNames", null)).isEqualTo("{\"result\":[\"Default\"],\"error\":null}");
    Path col = base.resolve("server/collection.anki2");
    assertThat(Path.of(col + "-wal")).exists();
    assertThat(Path.of(col + "-shm")).doesNotExist();

    anki.signal("TERM");

    assertThat(anki.awaitExit(WAIT)).isZero();
    assertThat(Path.of(col + "-wal")).doesNotExist();
    assertThat(Prefs.read(base).get("_global")).containsEntry("last_loaded_profile_name", "server");
    assertThat(Files.exists(col)).isTrue();
  }
}
