package dev.ankisupervisor.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ankisupervisor.config.BindSpec;
import dev.ankisupervisor.model.FullSyncDirection;
import dev.ankisupervisor.statusfile.Documents;
import dev.ankisupervisor.statusfile.StatusDocument;
import dev.ankisupervisor.statusfile.StatusJson;
import dev.ankisupervisor.statusfile.SyncView;
import dev.ankisupervisor.sync.FullSyncCommands;
import dev.ankisupervisor.systemd.TimerState;
import dev.ankisupervisor.systemd.UnitSettings;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.razorvine.pickle.Pickler;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * doctor against a healthy install (real files, a real SQLite prefs21.db with pickled rows, an
 * AnkiConnect and a sync server played by MockWebServer), then each fault made on purpose and found
 * (one finding per fault, with its fix).
 */
class DoctorTest {
  private static final Instant NOW = Instant.parse("2026-11-26T09:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private Path base;
  private final MockWebServer anki = new MockWebServer();
  private final MockWebServer sync = new MockWebServer();

  @BeforeEach
  void healthyInstall() throws Exception {
    base = Files.createDirectories(tmp.resolve("anki"));
    writePrefs(base.resolve("prefs21.db"), "en_US", false);
    Path addon = Files.createDirectories(base.resolve("addons21/2055492159"));
    Files.writeString(addon.resolve("__init__.py"), "# AnkiConnect\n");
    Files.createDirectories(base.resolve("server"));
    Files.writeString(base.resolve("server/collection.anki2"), "");
    Files.writeString(base.resolve("gldriver6"), "software\n");
    anki.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest r) {
        try {
          JsonNode req = JSON.readTree(r.getBody().readUtf8());
          Object result = switch (req.path("action").asText()) {
            case "version" -> 6;
            case "deckNames" -> List.of("Default");
            case "apiReflect" -> Map.of("actions", List.of("deckNames", "getConfig", "setConfig", "headlessSync", "fullSync"));
            default -> null;
          };
          return new MockResponse().setBody(JSON.writeValueAsString(Map.of("result", result, "error", "")).replace("\"error\":\"\"", "\"error\":null"));
        } catch (Exception e) {
          return new MockResponse().setResponseCode(500);
        }
      }
    });
    anki.start(InetAddress.getLoopbackAddress(), 0);
    Files.writeString(addon.resolve("meta.json"), "{\"config\": {\"webBindPort\": " + anki.getPort() + "}}");
    sync.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest r) {
        return "/health".equals(r.getPath()) ? new MockResponse() : new MockResponse().setResponseCode(404);
      }
    });
    sync.start(InetAddress.getLoopbackAddress(), 0);
    writeStatus("ok", NOW.minusSeconds(120));
    Files.createDirectories(tmp.resolve("backups"));
    writeLastBackup(true, NOW.minus(Duration.ofHours(20)));
  }

  @AfterEach
  void stopServers() throws Exception {
    anki.shutdown();
    sync.shutdown();
  }

  private static void writePrefs(Path file, String lang, boolean firstRun) throws Exception {
    Map<String, Object> global = new HashMap<>();
    global.put("firstRun", firstRun);
    global.put("defaultLang", lang);
    global.put("id", 1234567L);
    global.put("lastMsg", 0);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      c.createStatement().execute("create table profiles (name text primary key collate nocase, data blob not null)");
      try (PreparedStatement p = c.prepareStatement("insert into profiles values (?, ?)")) {
        p.setString(1, "_global");
        p.setBytes(2, new Pickler().dumps(global));
        p.execute();
        p.setString(1, "server");
        p.setBytes(2, new Pickler().dumps(Map.of("autoSync", false)));
        p.execute();
      }
    }
  }

  private void writeStatus(String state, Instant lastSuccess) throws Exception {
    StatusDocument doc = state.equals("ok") ? Documents.ready(lastSuccess)
        : Documents.failedSync(lastSuccess, NOW.minusSeconds(10), state);
    Files.write(tmp.resolve("sync-status.json"), StatusJson.toBytes(doc));
  }

  private void writeLastBackup(boolean ok, Instant lastSuccess) throws Exception {
    Files.writeString(tmp.resolve("backups/last-backup.json"), "{\"schema\":1,\"ok\":" + ok + ",\"finishedAt\":\""
        + lastSuccess + "\",\"result\":null,\"error\":null,\"lastSuccessAt\":\"" + lastSuccess
        + "\",\"lastSuccessPath\":\"/x\"}");
  }

  /** The uid owning each path: a dedicated user (1000) unless a test says otherwise. */
  private java.util.function.ToLongFunction<Path> owners = p -> 1000;
  /** The backup timer's state as systemctl would give it: unknown unless a test says otherwise. */
  private Optional<TimerState> backupTimer = Optional.empty();
  /** The --unit, if a test gives one. */
  private Optional<UnitSettings> unit = Optional.empty();

  private List<Finding> doctor() {
    DoctorSettings s = new DoctorSettings(base, "server", "2055492159",
        new BindSpec.Fixed(InetAddress.getLoopbackAddress()), anki.getPort(), Optional.empty(),
        tmp.resolve("anki.pid"), tmp.resolve("sync-status.json"), Optional.of("http://127.0.0.1:" + sync.getPort()),
        Optional.of(tmp.resolve("backups")), Duration.ofHours(36), Duration.ofSeconds(10),
        "anki-sync-backup.timer", unit);
    return new Doctor(s, Clock.fixed(NOW, ZoneOffset.UTC), spec -> Optional.of(InetAddress.getLoopbackAddress()),
        owners, timer -> timer.equals("anki-sync-backup.timer") ? backupTimer : Optional.empty()).run();
  }

  private static List<DoctorCheck> problems(List<Finding> findings) {
    return findings.stream().filter(f -> !f.ok()).map(Finding::check).toList();
  }

  private static String lineOf(List<Finding> findings, DoctorCheck check) {
    return findings.stream().filter(f -> f.check() == check).findFirst().orElseThrow().line();
  }

  @Test
  void healthyInstallHasNoProblems() {
    List<Finding> findings = doctor();
    assertThat(findings).allSatisfy(f -> assertThat(f.ok()).as(f.line()).isTrue());
    // every check but TAILSCALE, which a fixed --bind replaces by BIND_ADDRESS, in the enum's order
    assertThat(findings).extracting(Finding::check).containsExactlyElementsOf(
        Arrays.stream(DoctorCheck.values()).filter(c -> c != DoctorCheck.TAILSCALE).toList());
    assertThat(Doctor.problems(findings)).isZero();
    assertThat(lineOf(findings, DoctorCheck.RUN_AS)).contains("uid 1000, not root");
  }

  @Test
  void operationsMdListsEveryCheckInItsTable() throws Exception {
    String doc = Files.readString(Path.of("docs/operations.md"));
    String table = doc.substring(doc.indexOf("| Check | Looks at |"));
    List<String> documented = new ArrayList<>();
    for (String row : table.substring(0, table.indexOf("\n\n")).split("\n")) {
      // the first cell names the check(s): `unit`, or `tailscale` / `bind-address`
      Matcher name = Pattern.compile("`([^`]+)`").matcher(row.split("\\|")[1]);
      while (name.find()) {
        documented.add(name.group(1));
      }
    }
    assertThat(documented).containsExactlyInAnyOrderElementsOf(
        Arrays.stream(DoctorCheck.values()).map(DoctorCheck::label).toList());
  }

  @Test
  void ankiRunningAsRootIsAProblemWhoseFixIsADedicatedUser() throws Exception {
    // No Anki running: the base folder's owner stands for the service's user.
    owners = p -> p.equals(base) ? 0 : 1000;
    List<Finding> f = doctor();
    assertThat(problems(f)).containsExactly(DoctorCheck.RUN_AS);
    assertThat(lineOf(f, DoctorCheck.RUN_AS)).contains("base folder " + base, "uid 0 (root)", "Chromium's sandbox has to be off", "fix: run the supervisor as a"
        + " dedicated user (User=anki");
    // A running Anki (the pidfile names this test's JVM, pid and start time) is the better witness.
    long self = ProcessHandle.current().pid();
    long ticks = Long.parseLong(Files.readString(Path.of("/proc/self/stat")).replaceFirst(".*\\) ", "").split(" ")[19]);
    Files.writeString(tmp.resolve("anki.pid"), self + " " + ticks + "\n");
    owners = p -> p.equals(Path.of("/proc", Long.toString(self))) ? 0 : 1000;
    assertThat(lineOf(doctor(), DoctorCheck.RUN_AS)).contains("Anki pid " + self + " runs as uid 0 (root)");
  }

  @Test
  void missingPrefsIsFound() throws Exception {
    Files.delete(base.resolve("prefs21.db"));
    List<Finding> f = doctor();
    assertThat(problems(f)).containsExactly(DoctorCheck.PREFS);
    assertThat(lineOf(f, DoctorCheck.PREFS)).startsWith("PROBLEM prefs21.db: ").contains("missing").contains("; fix: ");
  }

  @Test
  void corruptPrefsIsFound() throws Exception {
    Files.write(base.resolve("prefs21.db"), "this is not a database at all, just text".repeat(100).getBytes());
    assertThat(problems(doctor())).containsExactly(DoctorCheck.PREFS);
  }

  @Test
  void prefsThatWouldShowTheLanguageDialogIsFound() throws Exception {
    Files.delete(base.resolve("prefs21.db"));
    writePrefs(base.resolve("prefs21.db"), "en_US", true);
    assertThat(lineOf(doctor(), DoctorCheck.PREFS)).contains("firstRun is true");
  }

  @Test
  void missingGlDriverIsFound() throws Exception {
    Files.delete(base.resolve("gldriver6"));
    List<Finding> f = doctor();
    assertThat(problems(f)).containsExactly(DoctorCheck.GL_DRIVER);
    assertThat(lineOf(f, DoctorCheck.GL_DRIVER)).contains("echo software > ");
  }

  @Test
  void nothingOnThePortIsFound() throws Exception {
    anki.shutdown();
    List<Finding> f = doctor();
    assertThat(problems(f)).containsExactly(DoctorCheck.PORT, DoctorCheck.ANKICONNECT);
    assertThat(lineOf(f, DoctorCheck.PORT)).contains("nothing listens on 127.0.0.1:" + anki.getPort());
  }

  @Test
  void unpatchedAddonIsFound() throws Exception {
    anki.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest r) {
        String action = r.getBody().readUtf8();
        String result = action.contains("apiReflect") ? "{\"actions\":[\"deckNames\",\"sync\"]}" : action.contains("deckNames") ? "[]" : "6";
        return new MockResponse().setBody("{\"result\":" + result + ",\"error\":null}");
      }
    });
    assertThat(lineOf(doctor(), DoctorCheck.ADDON_PATCHES)).startsWith("PROBLEM").contains("the config API patch").contains("the headless sync patch");
  }

  @Test
  void staleLastSyncIsFound() throws Exception {
    writeStatus("network_error", NOW.minus(Duration.ofHours(3)));
    List<Finding> f = doctor();
    assertThat(problems(f)).containsExactly(DoctorCheck.LAST_SYNC);
    assertThat(lineOf(f, DoctorCheck.LAST_SYNC)).contains("3h ago").contains("network_error");
  }

  /** A status file whose last sync ended in full_sync_required ({@code direction}) with {@code message}. */
  private void writeFullSyncRequired(FullSyncDirection direction, String message) throws Exception {
    StatusDocument doc = Documents.failedSync(NOW.minus(Duration.ofHours(3)), NOW.minusSeconds(10), "full_sync_required");
    SyncView v = doc.sync();
    Files.write(tmp.resolve("sync-status.json"), StatusJson.toBytes(doc.withSync(new SyncView(v.state(), v.trigger(),
        v.lastAttemptAt(), v.lastFinishedAt(), v.lastDurationMs(), v.lastSuccessAt(), v.consecutiveFailures(),
        v.nextSyncAt(), v.intervalSeconds(), direction, new SyncView.SyncError(v.error().kind(), message)))));
  }

  @Test
  void aNeededFullSyncsFixIsTheCommandTheStatusFileGivesWithTheSupervisorsUnit() throws Exception {
    // as the supervisor under anki-connect@alice writes it; doctor itself was given no --unit
    FullSyncCommands writers = new FullSyncCommands(Optional.of("anki-connect@alice"));
    writeFullSyncRequired(FullSyncDirection.EITHER, "both sides hold data; " + writers.advice(FullSyncDirection.EITHER));
    String line = lineOf(doctor(), DoctorCheck.LAST_SYNC);
    assertThat(line).startsWith("PROBLEM").endsWith("; fix: run `anki-supervisor full-sync --unit anki-connect@alice"
        + " --download --yes --force` to keep the server's copy, or `anki-supervisor full-sync --unit anki-connect@alice"
        + " --upload --yes --force` to keep this one");
  }

  @Test
  void aNeededFullSyncWhoseMessageGivesNoCommandGetsOneForItsDirection() throws Exception {
    writeFullSyncRequired(FullSyncDirection.UPLOAD, "full sync required");
    assertThat(lineOf(doctor(), DoctorCheck.LAST_SYNC)).endsWith("; fix: run `anki-supervisor full-sync --upload --yes`");
  }

  @Test
  void lastSyncIsJudgedInTheFilesSyncInterval() throws Exception {
    // 11 minutes is well within an hour but more than two of the file's 5-minute intervals: the rule
    // status applies, not a fixed age
    writeStatus("ok", NOW.minusSeconds(660));
    assertThat(lineOf(doctor(), DoctorCheck.LAST_SYNC)).startsWith("PROBLEM")
        .contains("warning: last successful sync 11m ago (more than 2 intervals of 5m)");
    writeStatus("ok", NOW.minusSeconds(599));
    assertThat(problems(doctor())).doesNotContain(DoctorCheck.LAST_SYNC);
  }

  @Test
  void noBackupYetIsFineWhileTheTimerIsActiveAndHasNotRunButAProblemWhenNothingRunsIt() throws Exception {
    Files.delete(tmp.resolve("backups/last-backup.json"));
    backupTimer = Optional.of(new TimerState(true, false, "Tue 2026-12-08 00:31:07 UTC"));
    List<Finding> f = doctor();
    assertThat(problems(f)).isEmpty();
    assertThat(lineOf(f, DoctorCheck.LAST_BACKUP)).contains("has not run yet").contains("next: Tue 2026-12-08")
        .doesNotContain("enable");

    backupTimer = Optional.of(new TimerState(false, false, ""));
    f = doctor();
    assertThat(problems(f)).containsExactly(DoctorCheck.LAST_BACKUP);
    assertThat(lineOf(f, DoctorCheck.LAST_BACKUP)).contains("is not active").contains("systemctl enable --now anki-sync-backup.timer");

    backupTimer = Optional.of(new TimerState(true, true, ""));
    assertThat(lineOf(doctor(), DoctorCheck.LAST_BACKUP)).contains("although anki-sync-backup.timer has run")
        .doesNotContain("enable --now");
  }

  @Test
  void aMissingCredentialFileOfTheUnitIsFoundBeforeSystemdFailsWith243() throws Exception {
    Path key = Files.writeString(tmp.resolve("anki-connect-api-key"), "k\n");
    Path missing = tmp.resolve("anki-sync-password");
    unit = Optional.of(new UnitSettings("anki-connect.service", List.of("run"), Map.of(),
        Map.of("anki-connect-api-key", key, "anki-sync-password", missing),
        Path.of("/run/credentials/anki-connect.service"), List.of()));
    List<Finding> f = doctor();
    assertThat(problems(f)).containsExactly(DoctorCheck.UNIT);
    assertThat(lineOf(f, DoctorCheck.UNIT)).contains(missing + " is missing").contains("243/CREDENTIALS")
        .contains("systemctl restart anki-connect.service").doesNotContain(key.toString());

    Files.writeString(missing, "pw\n");
    assertThat(problems(doctor())).isEmpty();
  }

  @Test
  void oldLastBackupIsFound() throws Exception {
    writeLastBackup(true, NOW.minus(Duration.ofDays(3)));
    List<Finding> f = doctor();
    assertThat(problems(f)).containsExactly(DoctorCheck.LAST_BACKUP);
    assertThat(lineOf(f, DoctorCheck.LAST_BACKUP)).contains("3d ago");
  }

  @Test
  void syncServerNotAnsweringIsFound() throws Exception {
    sync.shutdown();
    assertThat(problems(doctor())).containsExactly(DoctorCheck.SYNC_SERVER);
  }

  @Test
  void foreignLockHolderIsFoundAndNamed() throws Exception {
    // This JVM takes a POSIX lock on the collection (as a stray process would, C7); no pidfile names it.
    try (FileChannel ch = FileChannel.open(base.resolve("server/collection.anki2"), StandardOpenOption.WRITE);
        FileLock lock = ch.lock()) {
      List<Finding> f = doctor();
      assertThat(problems(f)).containsExactly(DoctorCheck.COLLECTION_LOCK);
      assertThat(lineOf(f, DoctorCheck.COLLECTION_LOCK)).contains(Long.toString(ProcessHandle.current().pid()))
          .contains("kill " + ProcessHandle.current().pid());
    }
    assertThat(problems(doctor())).isEmpty();
  }

  @Test
  void aLockHolderIsTheSupervisedAnkiOnlyWithThePidfilesStartTimeToo() throws Exception {
    long self = ProcessHandle.current().pid();
    long ticks = Long.parseLong(Files.readString(Path.of("/proc/self/stat")).replaceFirst(".*\\) ", "").split(" ")[19]);
    try (FileChannel ch = FileChannel.open(base.resolve("server/collection.anki2"), StandardOpenOption.WRITE);
        FileLock lock = ch.lock()) {
      // The pidfile names this pid with another start time: an Anki that died, its pid since reused by
      // the process now holding the lock, which is not Anki.
      Files.writeString(tmp.resolve("anki.pid"), self + " " + (ticks - 1) + "\n");
      List<Finding> f = doctor();
      assertThat(problems(f)).containsExactly(DoctorCheck.COLLECTION_LOCK);
      assertThat(lineOf(f, DoctorCheck.COLLECTION_LOCK)).contains("locked by pid " + self, "not by the supervised Anki");
      // The same pid and start time: the supervised Anki itself.
      Files.writeString(tmp.resolve("anki.pid"), self + " " + ticks + "\n");
      assertThat(lineOf(doctor(), DoctorCheck.COLLECTION_LOCK)).startsWith("OK").contains("held by the supervised Anki (pid " + self);
    }
  }
}
