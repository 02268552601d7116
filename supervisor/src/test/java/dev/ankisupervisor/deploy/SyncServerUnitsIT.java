package dev.ankisupervisor.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ankisupervisor.testing.FreePort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * systemd/anki-sync-server.service, anki-sync-backup.service and .timer as shipped, under real
 * systemd 252 in a booted Debian 12 container, installed as systemd/README.md says (sections 2, 6, 7,
 * 9, 11). The server is the stand-in sync server, chosen the way the README says to choose another
 * server (a drop-in setting ANKI_SYNC_SERVER_COMMAND); the drop-in also moves SYNC_PORT to a free
 * port, since the container shares the host's network. One container; tests in the order below.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SyncServerUnitsIT {
  private static final String SERVER = "anki-sync-server.service";
  private static final String BACKUP = "anki-sync-backup.service";
  private static final String BACKUPS = "/mnt/data/backups/anki";
  private static final String USER_DATA = "/var/lib/anki-sync-server/anki";
  private static SystemdContainer c;
  private static Systemctl systemctl;
  private static int port;

  @BeforeAll
  static void bootAndInstall() throws Exception {
    c = DebianInstall.bootWithSupervisor("sync");
    systemctl = new Systemctl(c);
    port = FreePort.find();
    c.sh("useradd --system --home-dir /var/lib/anki-sync-server --shell /usr/sbin/nologin anki-sync\n"
        + "install -d -m 0750 " + BACKUPS);
    DebianInstall.credentials(c, Map.of("anki-sync-users", "anki:sync-password\n"));
    DebianInstall.dropIn(c, SERVER, "[Service]\n"
        + "Environment=\"ANKI_SYNC_SERVER_COMMAND=" + DebianInstall.STANDIN + " sync-server\"\n"
        + "Environment=SYNC_PORT=" + port + "\n");
  }

  @AfterAll
  static void powerOff() throws Exception {
    if (c != null) {
      c.close();
    }
  }

  private static void addDeck(String name) throws Exception {
    assertThat(NspawnTests.post(port, "/standin/decks?user=anki", "{\"deck\": \"" + name + "\", \"cards\": 2}").statusCode())
        .isEqualTo(200);
  }

  private static List<String> decks(Path collection) throws Exception {
    List<String> names = new ArrayList<>();
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:file:" + collection + "?mode=ro");
        ResultSet rs = db.createStatement().executeQuery("select name from decks order by name")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }

  private static void ensureServerRunning() throws Exception {
    if (!"active".equals(systemctl.prop(SERVER, "ActiveState"))) {
      systemctl.run("start", SERVER).ok();
    }
    systemctl.awaitProp(SERVER, "ActiveState", "active"::equals);
    await().atMost(SystemdContainer.WAIT).ignoreExceptions()
        .until(() -> NspawnTests.get(port, "/health").statusCode() == 200);
  }

  @Test
  @Order(1)
  void serverRunsAsItsUserAndAnswers() throws Exception {
    ensureServerRunning();
    String main = systemctl.prop(SERVER, "MainPID");
    assertThat(c.exec("ps", "-o", "user:32=,comm=", "-p", main).ok().out().strip()).matches("anki-sync\\s+java");
    addDeck("Before backup");
    assertThat(c.path(USER_DATA + "/collection.anki2")).exists();
  }

  @Test
  @Order(2)
  void startReturnsOnlyOnceTheServerListens() throws Exception {
    ensureServerRunning();
    systemctl.run("stop", SERVER).ok();
    systemctl.run("start", SERVER).ok();
    // no wait: ExecStartPost held the start until the port accepted a connection
    assertThat(NspawnTests.get(port, "/health").statusCode()).isEqualTo(200);
  }

  @Test
  @Order(3)
  void backupStartedByHandMakesAVerifiedCopyAndRestartsTheServer() throws Exception {
    ensureServerRunning();
    addDeck("In the backup");
    String mainBefore = systemctl.prop(SERVER, "MainPID");
    // Type=oneshot: start returns when the backup has finished.
    systemctl.run("start", BACKUP).ok();

    assertThat(systemctl.show(BACKUP, "Result", "ExecMainStatus"))
        .containsEntry("Result", "success").containsEntry("ExecMainStatus", "0");
    var last = new ObjectMapper().readTree(c.path(BACKUPS + "/last-backup.json").toFile());
    assertThat(last.path("ok").asBoolean()).as(last.toString()).isTrue();
    List<Path> copies;
    try (var s = Files.list(c.path(BACKUPS))) {
      copies = s.filter(p -> p.getFileName().toString().matches("\\d{8}T\\d{6}Z")).toList();
    }
    assertThat(copies).hasSize(1);
    assertThat(decks(copies.get(0).resolve("anki/collection.anki2"))).contains("Before backup", "In the backup");
    // The stop variant: the server was stopped for the copy and started again.
    systemctl.awaitProp(SERVER, "ActiveState", "active"::equals);
    assertThat(systemctl.prop(SERVER, "MainPID")).isNotEqualTo(mainBefore);
  }

  @Test
  @Order(4)
  void timerIsListed() throws Exception {
    systemctl.run("enable", "--now", "anki-sync-backup.timer").ok();
    String timers = systemctl.run("list-timers", "--all", "--no-legend").ok().out();
    assertThat(timers.lines().filter(l -> l.contains("anki-sync-backup.timer")).toList())
        .singleElement().satisfies(l -> assertThat(l).contains(BACKUP));
  }

  @Test
  @Order(5)
  void stopIsGracefulBySigint() throws Exception {
    ensureServerRunning();
    addDeck("After backup");
    assertThat(c.path(USER_DATA + "/collection.anki2-wal")).as("recent writes live in the WAL while it runs (S2)").exists();
    systemctl.run("stop", SERVER).ok();

    assertThat(systemctl.show(SERVER, "ActiveState", "Result", "ExecMainStatus"))
        .containsEntry("ActiveState", "inactive").containsEntry("Result", "success");
    // S3: SIGINT (KillSignal=SIGINT) closes the collections: checkpointed, no -wal left.
    assertThat(systemctl.journal("_SYSTEMD_UNIT=" + SERVER).stream().map(Systemctl::message))
        .anySatisfy(m -> assertThat(m).contains("SIGINT: closing collections"));
    assertThat(c.path(USER_DATA + "/collection.anki2-wal")).doesNotExist();
    assertThat(decks(c.path(USER_DATA + "/collection.anki2"))).contains("After backup");
  }
}
