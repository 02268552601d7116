package dev.ankisupervisor.standin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ankisupervisor.testing.AddonDir;
import dev.ankisupervisor.testing.Prefs;
import dev.ankisupervisor.testing.StandInAnkiProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The modal dialogs that hang an offscreen Anki (C2, C3, C4), each seen from outside. */
class StandInAnkiDialogsIT extends StandInRuns {
  private static final String NO_COLLECTION = "{\"result\":null,\"error\":\"collection is not available\"}";

  @Test
  void leftoverArgumentOpensTheProfileThenShowsTheImportBoxWhileTheApiServesTheCollection() throws Exception {
    StandInAnkiProcess anki = start(seeded("server").args("--disable-gpu"));
    anki.waitForApi(WAIT);
    anki.waitForOutput("stuck in import dialog", WAIT);
    // as real Anki 25.09.2 does (docs/anki-behaviour.md, C3 and upstream item 1)
    assertThat(anki.callAction("deckNames", null)).isNotEqualTo(NO_COLLECTION).contains("Default");
    assertThat(base.resolve("server/collection.anki2")).exists();
  }

  @Test
  void platformFlagParsesAsProfileLatformWhichNamesNoProfile() throws Exception {
    StandInAnkiProcess anki = start(seeded("server").args("-platform", "offscreen"));
    anki.waitForOutput("stuck in profile chooser dialog", WAIT);
    assertThat(anki.outputText()).contains("-p latform names no profile");
  }

  @Test
  void missingPrefsRecreatesThemAndHangsInLanguageDialogWithoutApi() throws Exception {
    AddonDir.write(base, port);
    Path tmp = tmpDir();
    StandInAnkiProcess anki = start(StandInAnkiProcess.builder(base).port(port).tmpDir(tmp));
    anki.waitForOutput("stuck in language dialog", WAIT);
    assertThat(Prefs.read(base).get("_global")).containsEntry("firstRun", true).containsEntry("defaultLang", null);
    assertThat(portOpen()).isFalse();
    // A whole second Anki started and ended meanwhile: told by the hung one's socket that Anki runs
    // (C5), it exits 0. The hung one took its message, and still has no AnkiConnect.
    StandInAnkiProcess second = start(StandInAnkiProcess.builder(base).port(port).tmpDir(tmp));
    assertThat(second.awaitExit(WAIT)).isZero();
    assertThat(second.output()).contains("Already running; reusing existing instance.");
    anki.waitForOutput("second instance sent: raise", WAIT);
    assertThat(portOpen()).isFalse();
    assertThat(anki.isAlive()).isTrue();
  }

  @Test
  void corruptPrefsAreDeletedAndRecreated() throws Exception {
    AddonDir.write(base, port);
    Files.writeString(base.resolve("prefs21.db"), "this is not an SQLite database, it is garbage ".repeat(100));
    StandInAnkiProcess anki = start(StandInAnkiProcess.builder(base).port(port));
    anki.waitForOutput("stuck in language dialog", WAIT);
    assertThat(Prefs.read(base)).containsOnlyKeys("_global");
    assertThat(portOpen()).isFalse();
  }

  @Test
  void unpicklableGlobalIsReset() throws Exception {
    Prefs.seed("server").write(base);
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + base.resolve("prefs21.db"));
        var st = c.createStatement()) {
      st.execute("update profiles set data = x'00112233' where name = '_global'");
    }
    AddonDir.write(base, port);
    StandInAnkiProcess anki = start(StandInAnkiProcess.builder(base).port(port));
    anki.waitForOutput("stuck in language dialog", WAIT);
    assertThat(Prefs.read(base).get("_global")).containsEntry("firstRun", true);
  }

  @Test
  void defaultLangNoneShowsStartupError() throws Exception {
    Prefs.seed("server").global("defaultLang", null).write(base);
    AddonDir.write(base, port);
    StandInAnkiProcess anki = start(StandInAnkiProcess.builder(base).port(port));
    anki.waitForOutput("stuck in Startup Error dialog", WAIT);
    assertThat(anki.outputText()).contains("Traceback (most recent call last):");
    assertThat(portOpen()).isFalse();
  }

  @Test
  void twoProfilesWithoutChoiceShowChooserWhileApiAnswers() throws Exception {
    Prefs.empty().profile("alpha").profile("beta").write(base);
    AddonDir.write(base, port);
    StandInAnkiProcess anki = start(StandInAnkiProcess.builder(base).port(port));
    anki.waitForApi(WAIT);
    anki.waitForOutput("stuck in profile chooser dialog", WAIT);
    assertThat(anki.callAction("deckNames", null)).isEqualTo(NO_COLLECTION);
    assertThat(anki.callAction("getProfiles", null)).contains("alpha").contains("beta");
    assertThat(anki.callAction("getActiveProfile", null)).isEqualTo("{\"result\":null,\"error\":null}");
  }

  @Test
  void lastLoadedProfileIsOpenedAmongSeveral() throws Exception {
    Prefs.empty().profile("alpha").profile("beta").lastLoaded("beta").write(base);
    AddonDir.write(base, port);
    StandInAnkiProcess anki = start(StandInAnkiProcess.builder(base).port(port));
    anki.waitForOutput("ready: profile beta open", WAIT);
    anki.waitForApi(WAIT);
    assertThat(anki.callAction("getActiveProfile", null)).isEqualTo("{\"result\":\"beta\",\"error\":null}");
  }

  @Test
  void profileFlagIsExactAndCaseSensitive() throws Exception {
    StandInAnkiProcess anki = start(seeded("server").profile("Server"));
    anki.waitForOutput("stuck in profile chooser dialog", WAIT);
    assertThat(base.resolve("server/collection.anki2")).doesNotExist();
    assertThat(base.resolve("Server/collection.anki2")).doesNotExist();
  }

  @Test
  void noProfileRowsCreateUserOneAndOpenIt() throws Exception {
    Prefs.empty().write(base);
    AddonDir.write(base, port);
    StandInAnkiProcess anki = start(StandInAnkiProcess.builder(base).port(port));
    anki.waitForOutput("ready: profile User 1 open", WAIT);
    assertThat(base.resolve("User 1/collection.anki2")).exists();
  }

  @Test
  void occupiedPortShowsFailedToListenAndOpensNoCollection() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      StandInAnkiProcess anki = start(seeded("server"));
      anki.waitForOutput("stuck in AnkiConnect failed to listen on port dialog", WAIT);
      assertThat(base.resolve("server/collection.anki2")).doesNotExist();
    }
  }

  @Test
  void safemodeLoadsNoAddons() throws Exception {
    StandInAnkiProcess anki = start(seeded("server").args("--safemode"));
    anki.waitForOutput("ready: profile server open", WAIT);
    assertThat(anki.outputText()).contains("--safemode: add-ons not loaded");
    assertThat(portOpen()).isFalse();
  }

  @Test
  void missingAddonFolderMeansNoAnkiConnect() throws Exception {
    Prefs.seed("server").write(base);
    StandInAnkiProcess anki = start(StandInAnkiProcess.builder(base).port(port));
    anki.waitForOutput("ready: profile server open", WAIT);
    assertThat(anki.outputText()).contains("no AnkiConnect");
    assertThat(portOpen()).isFalse();
    assertThat(Files.exists(Path.of(base + "/server/collection.anki2-wal"))).isTrue();
  }
}
