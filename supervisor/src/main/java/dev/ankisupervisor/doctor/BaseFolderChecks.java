package dev.ankisupervisor.doctor;

import dev.ankisupervisor.config.AnkiSettings;
import dev.ankisupervisor.files.PidFile;
import dev.ankisupervisor.files.SqliteLibrary;
import dev.ankisupervisor.files.TextFile;
import dev.ankisupervisor.os.LockTable;
import dev.ankisupervisor.os.ProcessIdentity;
import dev.ankisupervisor.prepare.AddonSettingsWriter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.razorvine.pickle.Unpickler;

/** The base-folder half of doctor: prefs21.db (C2), the add-on (A1), gldriver6 (C4), the collection lock (C7). */
final class BaseFolderChecks {
  static {
    // One unpacked copy of sqlite-jdbc's native library in the cache folder, not one per start.
    SqliteLibrary.useCachedCopy();
  }

  private static final String RESTART_FIX = "stop the service, move the file aside, and start it again:"
      + " the supervisor pre-creates a fresh one (anki-supervisor prepare does it by hand)";
  private final DoctorSettings s;

  BaseFolderChecks(DoctorSettings s) {
    this.s = s;
  }

  /** Checks a COPY: Anki opens prefs21.db with no busy wait, so even a reader's lock could break its start (C2). */
  Finding prefs() {
    Path prefs = s.base().resolve(AnkiSettings.PREFS_DB);
    if (!Files.isRegularFile(prefs)) {
      return Finding.problem(DoctorCheck.PREFS, prefs + " is missing: Anki would show its language dialog and hang",
          "start the service (it pre-creates the file) or run anki-supervisor prepare with the service's flags");
    }
    Path copy = null;
    try {
      copy = Files.createTempFile("doctor-prefs", ".db");
      Files.copy(prefs, copy, StandardCopyOption.REPLACE_EXISTING);
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy);
          Statement st = c.createStatement()) {
        try (ResultSet rs = st.executeQuery("pragma integrity_check")) {
          String verdict = rs.next() ? rs.getString(1) : "no answer";
          if (!"ok".equals(verdict)) {
            return Finding.problem(DoctorCheck.PREFS, prefs + " fails integrity_check (" + verdict + "): Anki would delete it"
                + " and show its language dialog", RESTART_FIX);
          }
        }
        Object global;
        try (ResultSet rs = st.executeQuery("select data from profiles where name = '_global'")) {
          if (!rs.next()) {
            return Finding.problem(DoctorCheck.PREFS, prefs + " has no _global row (Anki's app-wide settings)", RESTART_FIX);
          }
          global = new Unpickler().loads(rs.getBytes(1));
        }
        if (!(global instanceof Map<?, ?> g)) {
          return Finding.problem(DoctorCheck.PREFS, "_global in " + prefs + " is not a pickled dict, so Anki cannot read it", RESTART_FIX);
        }
        if (g.get("defaultLang") == null) {
          return Finding.problem(DoctorCheck.PREFS, "_global.defaultLang is None: Anki shows \"Startup Error\" and waits for a click", RESTART_FIX);
        }
        if (!Boolean.FALSE.equals(g.get("firstRun"))) {
          return Finding.problem(DoctorCheck.PREFS, "_global.firstRun is " + g.get("firstRun") + ", not False (the supervisor seeds False so that Anki starts as on a later run)", RESTART_FIX);
        }
        try (ResultSet rs = st.executeQuery("select 1 from profiles where name = '" + s.profile().replace("'", "''") + "'")) {
          if (!rs.next()) {
            return Finding.problem(DoctorCheck.PREFS, "no profile row '" + s.profile() + "' in " + prefs
                + ": Anki may show its profile chooser and wait for a click", "start the service with --profile " + s.profile()
                + " (the supervisor adds the row) or check --profile");
          }
        }
        return Finding.ok(DoctorCheck.PREFS, "readable; firstRun False, defaultLang " + g.get("defaultLang")
            + ", profile " + s.profile() + " present");
      }
    } catch (SQLException | IOException | RuntimeException e) {
      return Finding.problem(DoctorCheck.PREFS, prefs + " cannot be read as Anki reads it (" + e.getMessage()
          + "): Anki would delete it and show its language dialog", RESTART_FIX);
    } finally {
      deleteQuietly(copy);
    }
  }

  Finding addon() {
    Path dir = s.base().resolve(AnkiSettings.ADDONS).resolve(s.addonDirName());
    if (!Files.isRegularFile(dir.resolve("__init__.py"))) {
      return Finding.problem(DoctorCheck.ADDON, "AnkiConnect is not installed: " + dir.resolve("__init__.py") + " is missing",
          "install AnkiConnect (add-on 2055492159) into " + dir + " and apply our patches (see systemd/README.md)");
    }
    Path meta = dir.resolve("meta.json");
    try {
      if (Files.exists(meta)) {
        JsonNode root = new ObjectMapper().readTree(TextFile.read(meta, TextFile.SETTINGS_MAX_BYTES));
        if (AddonSettingsWriter.isDisabled(root)) {
          return Finding.problem(DoctorCheck.ADDON, "AnkiConnect is disabled in " + meta + " (\"disabled\": " + root.get("disabled")
              + "): Anki will not load it and `run` refuses to start (78)", AddonSettingsWriter.enableFix(meta));
        }
        JsonNode port = root.path("config").path("webBindPort");
        if (!port.isMissingNode() && port.asInt() != s.port()) {
          return Finding.problem(DoctorCheck.ADDON, meta + " sets webBindPort " + port.asInt() + ", not " + s.port(),
              "restart the service (it rewrites the add-on settings in meta.json) or use the same --connect-port here");
        }
      }
    } catch (IOException e) {
      return Finding.problem(DoctorCheck.ADDON, meta + " is not a readable JSON file (" + e.getMessage().lines().findFirst().orElse("") + ")",
          "restart the service: it rewrites the add-on settings");
    }
    return Finding.ok(DoctorCheck.ADDON, "AnkiConnect installed in " + dir);
  }

  Finding glDriver() {
    Path file = s.base().resolve(AnkiSettings.GL_DRIVER);
    try {
      String text = Files.exists(file) ? Files.readString(file).strip() : null;
      if ("software".equals(text)) {
        return Finding.ok(DoctorCheck.GL_DRIVER, "software");
      }
      return Finding.problem(DoctorCheck.GL_DRIVER, file + (text == null ? " is missing" : " says '" + text + "'")
          + ": without a GPU QtWebEngine aborts or Anki shows a driver dialog",
          "echo software > " + file + " (the supervisor writes it before each start)");
    } catch (IOException e) {
      return Finding.problem(DoctorCheck.GL_DRIVER, file + " cannot be read: " + e.getMessage(), "check its permissions");
    }
  }

  /** Who holds collection.anki2's lock, from /proc/locks, without touching the file (C7). */
  Finding collectionLock() {
    Path col = s.base().resolve(s.profile()).resolve(AnkiSettings.COLLECTION);
    if (!Files.exists(col)) {
      return Finding.ok(DoctorCheck.COLLECTION_LOCK, col + " does not exist yet (a fresh profile)");
    }
    List<Long> holders;
    try {
      holders = LockTable.system().holdersOf(col).stream().map(LockTable.Lock::pid).distinct().toList();
    } catch (IOException e) {
      return Finding.problem(DoctorCheck.COLLECTION_LOCK, "cannot read /proc/locks: " + e.getMessage(),
          "run doctor on the Anki machine, with /proc mounted");
    }
    Optional<ProcessIdentity> anki = ankiProcess();
    Optional<Long> foreign = holders.stream().filter(pid -> !isAnki(pid, anki)).findFirst();
    if (foreign.isPresent()) {
      long pid = foreign.get();
      String who = ProcessIdentity.of(pid).map(ProcessIdentity::describe).orElse("pid " + pid);
      return Finding.problem(DoctorCheck.COLLECTION_LOCK, col.getFileName() + " is locked by " + who + ", not by the supervised"
          + " Anki: Anki cannot open the collection and shows its profile chooser",
          "stop that process (kill " + pid + "); the supervisor clears only Ankis it started itself");
    }
    return holders.isEmpty() ? Finding.ok(DoctorCheck.COLLECTION_LOCK, "nobody holds " + col.getFileName())
        : Finding.ok(DoctorCheck.COLLECTION_LOCK, "held by the supervised Anki (pid " + holders.get(0) + ")");
  }

  /** Whether {@code pid} is the very process the pidfile names: pid AND start time, since a pid can be reused. */
  private static boolean isAnki(long pid, Optional<ProcessIdentity> anki) {
    return anki.isPresent() && ProcessIdentity.of(pid).filter(anki.get()::isSameProcess).isPresent();
  }

  /** The Anki the pidfile names, when that very process (pid and start time) still runs. */
  private Optional<ProcessIdentity> ankiProcess() {
    try {
      return new PidFile(s.pidFile()).liveProcess();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // a temp file; the OS cleans /tmp
      }
    }
  }
}
