package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ankisupervisor.sync.ScriptedAnkiConnect;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class FullSyncCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final ScriptedAnkiConnect anki;

  FullSyncCommandTest() throws Exception {
    anki = new ScriptedAnkiConnect();
  }

  @AfterEach
  void close() throws Exception {
    anki.close();
  }

  private int run(String... args) {
    CommandLine cl = AnkiSupervisorCommand.newCommandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  @Test
  void refusesWithoutYesSayingWhatWouldBeOverwritten() {
    assertThat(run("full-sync", "--upload", "--url", anki.url())).isEqualTo(64);
    assertThat(err.toString()).contains("--upload would replace the sync server's collection", "add --yes");
    assertThat(anki.actionsCalled()).isEmpty();
  }

  @Test
  void needsExactlyOneDirection() {
    assertThat(run("full-sync", "--yes", "--url", anki.url())).isEqualTo(64);
    assertThat(run("full-sync", "--upload", "--download", "--yes", "--url", anki.url())).isEqualTo(64);
    assertThat(anki.actionsCalled()).isEmpty();
  }

  @Test
  void withoutP2NamesThePatch() {
    anki.actions(ScriptedAnkiConnect.STOCK_ACTIONS);
    assertThat(run("full-sync", "--download", "--yes", "--url", anki.url())).isEqualTo(78);
    assertThat(err.toString()).contains("no fullSync action", "patches/anki-connect-headless-sync.patch");
    assertThat(anki.actionsCalled()).containsExactly("apiReflect");
  }

  @Test
  void downloadsWithTheApiKeyAndReportsTheCollection() throws Exception {
    Path keyFile = Files.writeString(dir.resolve("key"), "s3cret\n");
    anki.actions(ScriptedAnkiConnect.P2_ACTIONS).result("fullSync", "{\"direction\": \"download\"}")
        .result("deckNames", "[\"Default\"]").result("findCards", "[1, 2, 3, 4]");
    assertThat(run("full-sync", "--download", "--yes", "--url", anki.url(), "--api-key-file", keyFile.toString()))
        .isEqualTo(0);
    assertThat(out.toString()).contains("full download done; 1 decks, 4 cards");
    assertThat(anki.actionsCalled()).containsExactly("apiReflect", "fullSync", "deckNames", "findCards");
    assertThat(anki.requests().get(1).get("params").toString()).isEqualTo("{\"direction\":\"download\",\"force\":false}");
    assertThat(anki.requests().get(1).get("key").asText()).isEqualTo("s3cret");
  }

  @Test
  void p2RefusalToLoseDataAsksForForce() {
    anki.actions(ScriptedAnkiConnect.P2_ACTIONS)
        .error("fullSync", "full sync would overwrite data; pass force to confirm");
    assertThat(run("full-sync", "--upload", "--yes", "--url", anki.url())).isEqualTo(65);
    assertThat(err.toString()).contains("full sync would overwrite data", "--force");
  }

  @Test
  void forceIsPassedThrough() {
    anki.actions(ScriptedAnkiConnect.P2_ACTIONS).result("fullSync", "{\"direction\": \"upload\"}")
        .result("deckNames", "[]").result("findCards", "[]");
    assertThat(run("full-sync", "--upload", "--yes", "--force", "--url", anki.url())).isEqualTo(0);
    assertThat(anki.requests().get(1).get("params").toString()).isEqualTo("{\"direction\":\"upload\",\"force\":true}");
  }

  @Test
  void nothingListeningIsUnavailable69() throws Exception {
    anki.close();
    assertThat(run("full-sync", "--download", "--yes", "--url", anki.url())).isEqualTo(69);
    assertThat(err.toString()).contains("anki_unavailable");
  }
}
