package dev.ankisupervisor.standin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ankisupervisor.testing.StandInAnkiProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The collection lock, clean close and crash recovery (C2, C6, C7), with real SQLite files. */
class StandInAnkiCollectionIT extends StandInRuns {

  private Path collection() {
    return base.resolve("server/collection.anki2");
  }

  private static Connection openNoWait(Path db) throws SQLException {
    Properties p = new Properties();
    p.setProperty("busy_timeout", "0");
    return DriverManager.getConnection("jdbc:sqlite:" + db, p);
  }

  @Test
  void openCollectionIsLockedForEveryOtherOpener() throws Exception {
    StandInAnkiProcess anki = start(seeded("server"));
    anki.waitForOutput("ready: profile server open", WAIT);
    Object inode = Files.readAttributes(collection(), BasicFileAttributes.class).fileKey();
    String ino = inode.toString().replaceAll(".*ino=(\\d+).*", "$1");
    List<String> locks = Files.readAllLines(Path.of("/proc/locks"));
    assertThat(locks).anySatisfy(l -> assertThat(l)
        .contains("POSIX").contains("WRITE").contains(" " + anki.pid() + " ").contains(":" + ino + " "));
    assertThat(Path.of(collection() + "-wal")).exists();
    assertThat(Path.of(collection() + "-shm")).doesNotExist();
    try (Connection c = openNoWait(collection()); Statement st = c.createStatement()) {
      assertThatThrownBy(() -> st.executeQuery("select count(*) from decks").next())
          .hasMessageContaining("database is locked");
    }
  }

  @Test
  void collectionLockedByAnotherProcessIsNotAvailable() throws Exception {
    StandInAnkiProcess.Builder b = seeded("server");
    Files.createDirectories(collection().getParent());
    try (Connection holder = openNoWait(collection()); Statement st = holder.createStatement()) {
      st.execute("pragma locking_mode=exclusive");
      st.execute("create table t (x)");
      st.execute("begin exclusive");
      st.execute("insert into t values (1)");
      st.execute("commit");
      StandInAnkiProcess anki = start(b);
      anki.waitForApi(WAIT);
      anki.waitForOutput("stuck in profile chooser dialog", WAIT);
      assertThat(anki.outputText()).contains("stuck in unable to open collection dialog");
      assertThat(anki.callAction("deckNames", null))
          .isEqualTo("{\"result\":null,\"error\":\"collection is not available\"}");
    }
  }

  @Test
  void corruptCollectionShowsUnableToOpenThenChooser() throws Exception {
    StandInAnkiProcess.Builder b = seeded("server");
    Files.createDirectories(collection().getParent());
    Files.writeString(collection(), "not a database ".repeat(200));
    StandInAnkiProcess anki = start(b);
    anki.waitForOutput("stuck in profile chooser dialog", WAIT);
    assertThat(anki.outputText()).contains("unable to open your collection");
    anki.waitForApi(WAIT);
    assertThat(anki.callAction("deckNames", null)).contains("collection is not available");
    assertThat(anki.callAction("getActiveProfile", null)).isEqualTo("{\"result\":\"server\",\"error\":null}");
  }

  @Test
  void sigkillLeavesWalAndNextStartReplaysIt() throws Exception {
    StandInAnkiProcess anki = start(seeded("server"));
    anki.waitForApi(WAIT);
    anki.waitForOutput("ready: profile server open", WAIT);
    assertThat(anki.callAction("createDeck", "{\"deck\":\"Kept\"}")).startsWith("{\"result\":");
    anki.kill();
    anki.awaitExit(WAIT);
    assertThat(Path.of(collection() + "-wal")).exists();

    StandInAnkiProcess again = start(StandInAnkiProcess.builder(base).port(port));
    again.waitForApi(WAIT);
    again.waitForOutput("ready: profile server open", WAIT);
    assertThat(again.callAction("deckNames", null)).isEqualTo("{\"result\":[\"Default\",\"Kept\"],\"error\":null}");
  }

  @Test
  void cleanCloseWritesPrefsThatCPythonReads() throws Exception {
    StandInAnkiProcess anki = start(seeded("server").profile("server"));
    anki.waitForApi(WAIT);
    anki.waitForOutput("ready: profile server open", WAIT);
    anki.signal("TERM");
    assertThat(anki.awaitExit(WAIT)).isZero();
    assertThat(Path.of(collection() + "-wal")).doesNotExist();
    Process py = new ProcessBuilder("python3", "-c", String.join("\n",
        "import sqlite3, pickle, sys",
        "db = sqlite3.connect(sys.argv[1])",
        "rows = {n: pickle.loads(d) for n, d in db.execute('select name, data from profiles')}",
        "g = rows['_global']",
        "print(sorted(rows))",
        "print(g['last_loaded_profile_name'], g['firstRun'], g['defaultLang'], g['last_run_version'])",
        "print(rows['server']['autoSync'], rows['server']['numBackups'], rows['server']['syncKey'])"),
        base.resolve("prefs21.db").toString()).redirectErrorStream(true).start();
    String out = new String(py.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(py.waitFor()).as(out).isZero();
    assertThat(out.lines().toList()).containsExactly(
        "['_global', 'server']", "server False en_US 250902", "False 50 None");
  }

  @Test
  void createDeckAndFindCardsWorkOnTheOpenCollection() throws Exception {
    StandInAnkiProcess anki = start(seeded("server"));
    anki.waitForApi(WAIT);
    anki.waitForOutput("ready: profile server open", WAIT);
    String id = anki.callAction("createDeck", "{\"deck\":\"Lang::French\"}");
    assertThat(anki.callAction("createDeck", "{\"deck\":\"lang::french\"}")).isEqualTo(id);
    assertThat(anki.callAction("deckNames", null))
        .isEqualTo("{\"result\":[\"Default\",\"Lang\",\"Lang::French\"],\"error\":null}");
    assertThat(anki.callAction("findCards", "{\"query\":\"deck:Lang\"}")).isEqualTo("{\"result\":[],\"error\":null}");
    assertThat(anki.callAction("findCards", null)).isEqualTo("{\"result\":[],\"error\":null}");
  }
}
