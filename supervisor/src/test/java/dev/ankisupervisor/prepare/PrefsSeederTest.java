package dev.ankisupervisor.prepare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ankisupervisor.config.AnkiSettings;
import dev.ankisupervisor.config.Secret;
import dev.ankisupervisor.config.SyncSettings;
import dev.ankisupervisor.os.LockTable;
import dev.ankisupervisor.testing.Python3;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrefsSeederTest {
  private static final Instant NOW = Instant.parse("2026-11-26T09:30:15Z");
  private static final SyncSettings NO_SYNC =
      new SyncSettings(Optional.empty(), Optional.empty(), Optional.empty(), Duration.ofMinutes(5), true);

  @TempDir Path base;

  private AnkiSettings anki(String profile) {
    return new AnkiSettings(base, profile, "de_DE", List.of("anki"), AnkiSettings.ANKICONNECT_ADDON_ID);
  }

  private PrefsSeeder seeder() {
    return new PrefsSeeder(Clock.fixed(NOW, ZoneOffset.UTC), () -> 1234567890123456789L, LockTable.system());
  }

  private static SyncSettings sync(String url, String user, String password) {
    return new SyncSettings(Optional.of(url), Optional.of(user), Optional.of(new Secret(password)), Duration.ofMinutes(5), true);
  }

  @Test
  void seedsEmptyBaseWithAnkiDefaultsAndHeadlessSeed() throws Exception {
    PrefsSeedReport report = seeder().seed(anki("server"), NO_SYNC);

    assertThat(report.written()).isTrue();
    assertThat(report.profileCreated()).isTrue();
    assertThat(report.movedAside()).isEmpty();
    assertThat(report.syncKey()).isEqualTo(PrefsSeedReport.SyncKeyAction.NOT_CONFIGURED);
    Map<String, Map<String, Object>> rows = rows(base.resolve("prefs21.db"));
    assertThat(rows).containsOnlyKeys("_global", "server");
    Map<String, Object> global = rows.get("_global");
    // Anki's metaConf defaults (C2) ...
    assertThat(global).containsEntry("ver", 0).containsEntry("updates", true).containsEntry("lastMsg", 0)
        .containsEntry("suppressUpdate", false).containsEntry("id", 1234567890123456789L)
        .containsEntry("created", (int) NOW.getEpochSecond());
    // ... with the headless seed on top (C2, C3)
    assertThat(global).containsEntry("firstRun", false).containsEntry("defaultLang", "de_DE")
        .containsEntry("check_for_updates", false).containsEntry("last_addon_update_check", (int) NOW.getEpochSecond())
        .containsEntry("theme", 1).doesNotContainKey("check_for_addon_updates")
        .containsEntry("last_loaded_profile_name", "server").containsEntry("last_run_version", 250902);
    Map<String, Object> profile = rows.get("server");
    assertThat(profile).containsEntry("mainWindowGeom", null).containsEntry("mainWindowState", null)
        .containsEntry("numBackups", 50).containsEntry("lastOptimize", (int) NOW.getEpochSecond())
        .containsEntry("searchHistory", List.of()).containsEntry("syncKey", null).containsEntry("syncMedia", true)
        .containsEntry("autoSync", false).containsEntry("allowHTML", false).containsEntry("importMode", 1)
        .containsEntry("lastColour", "#00f").containsEntry("stripHTML", true).containsEntry("deleteMedia", false);
    assertThat(Files.getPosixFilePermissions(base.resolve("prefs21.db"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(schema(base.resolve("prefs21.db"))).containsIgnoringCase("collate nocase");
  }

  @Test
  void cpythonReadsWhatWeWriteWithPythonTypes() throws Exception {
    writePrefs(base.resolve("prefs21.db"), Map.of("_global", pickle("{'firstRun': True, 'defaultLang': 'en_US'}"),
        "server", pickle("{'mainWindowGeom': b'\\x01\\x02\\xff', 'hist': ('a', 1), 'big': 2**62, 'f': 1.5}")));

    seeder().seed(anki("server"), sync("http://sync.example:27701", "alice", "s3cret pass"));

    JsonNode py = Python3.readPrefs(base.resolve("prefs21.db"));
    assertThat(py.at("/_global/firstRun").toString()).isEqualTo("[\"bool\",\"False\"]");
    assertThat(py.at("/_global/defaultLang").toString()).isEqualTo("[\"str\",\"'de_DE'\"]");
    assertThat(py.at("/_global/id/0").asText()).isEqualTo("int");
    assertThat(py.at("/server/mainWindowGeom").toString()).isEqualTo("[\"bytes\",\"b'\\\\x01\\\\x02\\\\xff'\"]");
    assertThat(py.at("/server/hist").toString()).isEqualTo("[\"tuple\",\"('a', 1)\"]");
    assertThat(py.at("/server/big").toString()).isEqualTo("[\"int\",\"4611686018427387904\"]");
    assertThat(py.at("/server/f").toString()).isEqualTo("[\"float\",\"1.5\"]");
    assertThat(py.at("/server/syncMedia").toString()).isEqualTo("[\"bool\",\"True\"]");
    assertThat(py.at("/server/mainWindowState").toString()).isEqualTo("[\"NoneType\",\"None\"]");
    assertThat(py.at("/server/searchHistory").toString()).isEqualTo("[\"list\",\"[]\"]");
    assertThat(py.at("/server/syncKey/1").asText()).isEqualTo("'c86f469056c4fea960dad118d7f66028254f3cfa'");
  }

  @Test
  void keepsForeignKeysAndOtherProfilesByteForByte() throws Exception {
    byte[] other = pickle("{'anything': [1, 2], 'syncKey': 'theirs'}");
    writePrefs(base.resolve("prefs21.db"), Map.of(
        "_global", pickle("{'firstRun': False, 'defaultLang': 'fr_FR', 'id': 77, 'created': 5, 'theme': 2, 'last_run_version': 251000}"),
        "server", pickle("{'mainWindowState': b'state', 'syncKey': 'k', 'syncUser': 'bob', 'customSyncUrl': 'http://h:1/',"
            + " 'numBackups': 7, 'autoSync': True, 'addon_thing': {'a': None}}"),
        "Other", other));

    PrefsSeedReport report = seeder().seed(anki("server"), NO_SYNC);

    Map<String, Map<String, Object>> rows = rows(base.resolve("prefs21.db"));
    assertThat(rows.get("_global")).containsEntry("id", 77).containsEntry("created", 5).containsEntry("theme", 2)
        .containsEntry("defaultLang", "de_DE").containsEntry("last_run_version", 251000) // a newer Anki's is kept
        .containsEntry("ver", 0); // a missing default is filled in
    assertThat(rows.get("server")).containsEntry("syncKey", "k").containsEntry("syncUser", "bob")
        .containsEntry("customSyncUrl", "http://h:1/").containsEntry("numBackups", 7).containsEntry("autoSync", false);
    @SuppressWarnings("unchecked") Map<Object, Object> thing = (Map<Object, Object>) rows.get("server").get("addon_thing");
    assertThat(thing).containsOnlyKeys("a").containsEntry("a", null);
    assertThat(((PythonPickle.PyBytes) rows.get("server").get("mainWindowState")).data()).isEqualTo("state".getBytes());
    assertThat(rawRow(base.resolve("prefs21.db"), "Other")).isEqualTo(other);
    assertThat(report.profileCreated()).isFalse();
    assertThat(report.changedKeys()).contains("profile.autoSync", "_global.defaultLang").doesNotContain("profile.numBackups");
  }

  /** Real Anki 25.09.2 reached for AnkiWeb at start with a numeric add-on folder and no recent check (C2). */
  @Test
  void refreshesTheAddonUpdateCheckOnlyWhenHalfADayOldAndReplacesFollowTheSystemTheme() throws Exception {
    long fresh = NOW.getEpochSecond() - PrefsSeeds.ADDON_CHECK_REFRESH_SECONDS + 60;
    writePrefs(base.resolve("prefs21.db"), Map.of("_global", pickle("{'firstRun': False, 'defaultLang': 'de_DE',"
        + " 'last_addon_update_check': " + fresh + ", 'theme': 0}")));
    seeder().seed(anki("server"), NO_SYNC);
    assertThat(rows(base.resolve("prefs21.db")).get("_global"))
        .containsEntry("last_addon_update_check", (int) fresh).containsEntry("theme", 1);

    long stale = NOW.getEpochSecond() - PrefsSeeds.ADDON_CHECK_REFRESH_SECONDS - 60;
    Files.delete(base.resolve("prefs21.db"));
    writePrefs(base.resolve("prefs21.db"), Map.of("_global", pickle("{'firstRun': False, 'defaultLang': 'de_DE',"
        + " 'last_addon_update_check': " + stale + ", 'theme': 1}")));
    seeder().seed(anki("server"), NO_SYNC);
    assertThat(rows(base.resolve("prefs21.db")).get("_global"))
        .containsEntry("last_addon_update_check", (int) NOW.getEpochSecond()).containsEntry("theme", 1);
  }

  @Test
  void movesAnUnreadableFileAsideWithATimestampAndWritesAFreshOne() throws Exception {
    byte[] garbage = "this is not a database, but someone's data".getBytes(StandardCharsets.UTF_8);
    Files.write(base.resolve("prefs21.db"), garbage);

    PrefsSeedReport report = seeder().seed(anki("server"), NO_SYNC);

    Path aside = base.resolve("prefs21.db.corrupt-20261126T093015Z");
    assertThat(report.movedAside()).contains(aside);
    assertThat(Files.readAllBytes(aside)).isEqualTo(garbage);
    assertThat(rows(base.resolve("prefs21.db")).get("_global")).containsEntry("firstRun", false);
  }

  @Test
  void movesTheFileAsideWhenGlobalDoesNotUnpickleButKeepsOtherProfiles() throws Exception {
    byte[] other = pickle("{'x': 1}");
    writePrefs(base.resolve("prefs21.db"), Map.of("_global", "garbage".getBytes(StandardCharsets.UTF_8), "Other", other));
    byte[] before = Files.readAllBytes(base.resolve("prefs21.db"));

    PrefsSeedReport report = seeder().seed(anki("server"), NO_SYNC);

    assertThat(report.movedAside()).isPresent();
    assertThat(Files.readAllBytes(report.movedAside().get())).isEqualTo(before);
    assertThat(rawRow(base.resolve("prefs21.db"), "Other")).isEqualTo(other);
    assertThat(rows(base.resolve("prefs21.db")).get("_global")).containsEntry("firstRun", false);
  }

  @Test
  void writesTheSyncLoginWithTheSha1HostKey() throws Exception {
    PrefsSeedReport report = seeder().seed(anki("server"), sync("http://sync.example:27701", "alice", "s3cret pass"));

    assertThat(report.syncKey()).isEqualTo(PrefsSeedReport.SyncKeyAction.WRITTEN);
    Map<String, Object> profile = rows(base.resolve("prefs21.db")).get("server");
    // C8: lowercase hex sha1 of the exact "user:password" (printf 'alice:s3cret pass' | sha1sum)
    assertThat(profile).containsEntry("syncKey", "c86f469056c4fea960dad118d7f66028254f3cfa")
        .containsEntry("syncUser", "alice").containsEntry("customSyncUrl", "http://sync.example:27701/");
    assertThat(PrefsSeeds.hostKey("user", "password")).isEqualTo("b6952aff83e7e40eb87d567243480e27c656aa46");
  }

  @Test
  void keepsTheKeyTheGivenPasswordMakes() throws Exception {
    writePrefs(base.resolve("prefs21.db"), Map.of("server", pickle("{'syncKey': 'c86f469056c4fea960dad118d7f66028254f3cfa',"
        + " 'syncUser': 'alice', 'customSyncUrl': 'http://sync.example:27701/'}")));

    PrefsSeedReport report = seeder().seed(anki("server"), sync("http://sync.example:27701/", "alice", "s3cret pass"));

    assertThat(report.syncKey()).isEqualTo(PrefsSeedReport.SyncKeyAction.KEPT);
  }

  @Test
  void replacesAStaleKeyForTheSameUserAndUrlAfterAPasswordRotation() throws Exception {
    // the key of the old password 'old pass'; the password file now holds 's3cret pass'
    writePrefs(base.resolve("prefs21.db"), Map.of("server", pickle("{'syncKey': '" + PrefsSeeds.hostKey("alice", "old pass")
        + "', 'syncUser': 'alice', 'customSyncUrl': 'http://sync.example:27701/'}")));

    PrefsSeedReport report = seeder().seed(anki("server"), sync("http://sync.example:27701/", "alice", "s3cret pass"));

    assertThat(report.syncKey()).isEqualTo(PrefsSeedReport.SyncKeyAction.WRITTEN);
    assertThat(rows(base.resolve("prefs21.db")).get("server"))
        .containsEntry("syncKey", "c86f469056c4fea960dad118d7f66028254f3cfa");
  }

  @Test
  void replacesTheKeyAndForgetsTheRedirectWhenTheUrlChanges() throws Exception {
    writePrefs(base.resolve("prefs21.db"), Map.of("server", pickle(
        "{'syncKey': 'old', 'syncUser': 'alice', 'customSyncUrl': 'http://old:27701/', 'currentSyncUrl': 'http://old2/'}")));

    PrefsSeedReport report = seeder().seed(anki("server"), sync("http://new:27701", "alice", "s3cret pass"));

    assertThat(report.syncKey()).isEqualTo(PrefsSeedReport.SyncKeyAction.WRITTEN);
    assertThat(rows(base.resolve("prefs21.db")).get("server")).containsEntry("syncKey", "c86f469056c4fea960dad118d7f66028254f3cfa")
        .containsEntry("customSyncUrl", "http://new:27701/").containsEntry("currentSyncUrl", null);
  }

  @Test
  void aCrashBeforeTheRenameLeavesTheOldFileWholeAndNoTempFile() throws Exception {
    writePrefs(base.resolve("prefs21.db"), Map.of("_global", pickle("{'firstRun': True}")));
    byte[] before = Files.readAllBytes(base.resolve("prefs21.db"));
    PrefsSeeder crashing = new PrefsSeeder(Clock.fixed(NOW, ZoneOffset.UTC), () -> 1L, LockTable.system(), () -> {
      throw new IllegalStateException("simulated crash between temp write and rename");
    });

    assertThatThrownBy(() -> crashing.seed(anki("server"), NO_SYNC)).isInstanceOf(IllegalStateException.class);

    assertThat(Files.readAllBytes(base.resolve("prefs21.db"))).isEqualTo(before);
    assertThat(fileNames()).containsExactly("prefs21.db");
  }

  @Test
  void aSecondSeedChangesNothingAndLeavesNoJournal() throws Exception {
    seeder().seed(anki("server"), sync("http://s:1/", "alice", "pw"));
    byte[] first = Files.readAllBytes(base.resolve("prefs21.db"));

    PrefsSeedReport again = seeder().seed(anki("server"), sync("http://s:1/", "alice", "pw"));

    assertThat(again.written()).isFalse();
    assertThat(again.changedKeys()).isEmpty();
    assertThat(Files.readAllBytes(base.resolve("prefs21.db"))).isEqualTo(first);
    assertThat(fileNames()).containsExactly("prefs21.db");
  }

  @Test
  void refusesAProfileNameThatExistsOnlyInAnotherCase() throws Exception {
    writePrefs(base.resolve("prefs21.db"), Map.of("Server", pickle("{}")));

    assertThatThrownBy(() -> seeder().seed(anki("server"), NO_SYNC))
        .isInstanceOfSatisfying(PrepareException.class, e -> assertThat(e.kind()).isEqualTo(PrepareException.Kind.CONFIG))
        .hasMessageContaining("'Server'").hasMessageContaining("case-sensitive").hasMessageContaining("--profile 'Server'");
  }

  @Test
  void refusesToWriteWhileAnotherProcessLocksTheCollection() throws Exception {
    Files.createDirectories(base.resolve("server"));
    writePrefs(base.resolve("prefs21.db"), Map.of("_global", pickle("{'firstRun': True}")));
    byte[] before = Files.readAllBytes(base.resolve("prefs21.db"));
    try (Python3.Started holder = Python3.start(Python3.HOLD_SQLITE_LOCK, base.resolve("server/collection.anki2").toString())) {
      assertThatThrownBy(() -> seeder().seed(anki("server"), NO_SYNC))
          .isInstanceOfSatisfying(PrepareException.class, e -> assertThat(e.kind()).isEqualTo(PrepareException.Kind.CONFIG))
          .hasMessageContaining("pid " + holder.process().pid());
    }
    assertThat(Files.readAllBytes(base.resolve("prefs21.db"))).isEqualTo(before);
  }

  // --- helpers: real SQLite files, pickles made by CPython ---

  private List<String> fileNames() throws Exception {
    try (Stream<Path> s = Files.list(base)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** A pickle (protocol 4, as Anki writes) of a Python literal, made by CPython. */
  private static byte[] pickle(String pythonLiteral) throws Exception {
    String hex = Python3.run("import pickle, sys; print(pickle.dumps(eval(sys.argv[1]), protocol=4).hex())", pythonLiteral).strip();
    return java.util.HexFormat.of().parseHex(hex);
  }

  private static void writePrefs(Path db, Map<String, byte[]> rows) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
      s.execute("create table profiles (name text primary key collate nocase, data blob not null)");
      try (PreparedStatement ins = c.prepareStatement("insert into profiles values (?, ?)")) {
        for (Map.Entry<String, byte[]> r : rows.entrySet()) {
          ins.setString(1, r.getKey());
          ins.setBytes(2, r.getValue());
          ins.executeUpdate();
        }
      }
    }
  }

  private static byte[] rawRow(Path db, String name) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        PreparedStatement q = c.prepareStatement("select data from profiles where name = ?")) {
      q.setString(1, name);
      try (ResultSet rs = q.executeQuery()) {
        return rs.next() ? rs.getBytes(1) : null;
      }
    }
  }

  private static String schema(Path db) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select sql from sqlite_master where name = 'profiles'")) {
      return rs.next() ? rs.getString(1) : "";
    }
  }

  private static Map<String, Map<String, Object>> rows(Path db) throws Exception {
    Map<String, Map<String, Object>> out = new HashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select name, data from profiles")) {
      while (rs.next()) {
        out.put(rs.getString(1), PythonPickle.loadDict(rs.getBytes(2)));
      }
    }
    return out;
  }
}
