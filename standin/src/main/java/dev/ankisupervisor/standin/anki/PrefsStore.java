package dev.ankisupervisor.standin.anki;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import net.razorvine.pickle.Pickler;
import net.razorvine.pickle.Unpickler;

/**
 * prefs21.db as Anki's {@code ProfileManager} (25.09.2) reads and writes it (C2): one SQLite
 * table of pickled dicts, opened with no busy wait, deleted and recreated with defaults when it is
 * missing, fails {@code pragma integrity_check}, cannot be opened, or {@code _global} does not
 * unpickle. Changes reach the file only through {@link #save}, which Anki calls on a clean close
 * (and when it resets a corrupt profile). Used by the main thread only.
 */
final class PrefsStore implements AutoCloseable {
  /** The Anki version the stand-in plays, as {@code int_version()} writes it. */
  static final long ANKI_VERSION = 250902;

  private final Path path;
  private final Connection db;
  /** The decoded {@code _global} row. */
  private final Map<String, Object> meta;
  /** prefs21.db was missing or unreadable: the language dialog comes (C3). */
  private final boolean firstTime;
  /** prefs21.db or {@code _global} was corrupt and has been recreated. */
  private final boolean loadError;

  private PrefsStore(Path path, Connection db, Map<String, Object> meta, boolean firstTime, boolean loadError) {
    this.path = path;
    this.db = db;
    this.meta = meta;
    this.firstTime = firstTime;
    this.loadError = loadError;
  }

  /** Opens (or recreates) {@code <base>/prefs21.db} like {@code ProfileManager.setupMeta}. */
  static PrefsStore open(Path base) throws IOException, SQLException {
    return open(base.resolve("prefs21.db"), false);
  }

  private static PrefsStore open(Path path, boolean retrying) throws IOException, SQLException {
    boolean firstTime = !Files.exists(path);
    Connection db = null;
    byte[] data;
    try {
      db = connect(path);
      try (Statement st = db.createStatement()) {
        try (ResultSet rs = st.executeQuery("pragma integrity_check")) {
          if (!rs.next() || !"ok".equals(rs.getString(1))) {
            throw new SQLException("corrupt db");
          }
        }
        st.execute("create table if not exists profiles"
            + " (name text primary key collate nocase, data blob not null)");
        try (ResultSet rs = st.executeQuery(
            "select cast(data as blob) from profiles where name = '_global'")) {
          data = rs.next() ? rs.getBytes(1) : null;
        }
      }
    } catch (SQLException e) {
      if (retrying) {
        throw e;
      }
      Console.diag("prefs21.db unreadable (" + e.getMessage() + "); deleting and recreating it (C2)");
      closeQuietly(db);
      Files.deleteIfExists(path);
      Files.deleteIfExists(Path.of(path + "-journal"));
      return open(path, true);
    }
    boolean loadError = retrying;
    if (!firstTime) {
      try {
        Map<String, Object> meta = unpickle(data);
        meta.put("last_run_version", ANKI_VERSION); // setupMeta; written on save only
        return new PrefsStore(path, db, meta, false, loadError);
      } catch (RuntimeException | IOException e) {
        Console.diag("resetting corrupt _global (" + e + ") (C2)");
        loadError = true;
        firstTime = true;
      }
    }
    Map<String, Object> meta = defaultMeta();
    try (PreparedStatement ps = db.prepareStatement("insert or replace into profiles values ('_global', ?)")) {
      ps.setBytes(1, pickle(meta));
      ps.executeUpdate();
    }
    meta.put("last_run_version", ANKI_VERSION);
    return new PrefsStore(path, db, meta, firstTime, loadError);
  }

  private static Connection connect(Path path) throws SQLException {
    Properties props = new Properties();
    props.setProperty("busy_timeout", "0"); // C2: no busy wait; a held lock reads as corrupt
    return DriverManager.getConnection("jdbc:sqlite:" + path, props);
  }

  boolean isFirstTime() {
    return firstTime;
  }

  boolean hadLoadError() {
    return loadError;
  }

  /** The live {@code _global} dict (Anki's {@code pm.meta}). */
  Map<String, Object> meta() {
    return meta;
  }

  /**
   * Profile names (every row but {@code _global}), as {@code ProfileManager.profiles()}: when there
   * is none, Anki creates "User 1" first.
   */
  List<String> profiles() throws SQLException {
    List<String> names = names();
    if (names.isEmpty()) {
      create("User 1");
      names = names();
    }
    return names;
  }

  private List<String> names() throws SQLException {
    List<String> names = new ArrayList<>();
    try (Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("select name from profiles where name != '_global'")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }

  private void create(String name) throws SQLException {
    try (PreparedStatement ps = db.prepareStatement("insert or ignore into profiles values (?, ?)")) {
      ps.setString(1, name);
      ps.setBytes(2, pickle(defaultProfile()));
      ps.executeUpdate();
    }
  }

  /** Loads a profile's dict; an unreadable one is reset to defaults and saved, as Anki does. */
  Map<String, Object> loadProfile(String name) throws SQLException {
    byte[] data;
    try (PreparedStatement ps = db.prepareStatement(
        "select cast(data as blob) from profiles where name = ? collate nocase")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        data = rs.next() ? rs.getBytes(1) : null;
      }
    }
    meta.put("last_loaded_profile_name", name);
    try {
      return unpickle(data);
    } catch (RuntimeException | IOException e) {
      Console.diag("profile " + name + " does not unpickle (" + e + "); resetting it (C2)");
      Map<String, Object> profile = defaultProfile();
      save(name, profile);
      return profile;
    }
  }

  /** Writes the profile's dict and {@code _global} back, as {@code ProfileManager.save()}. */
  void save(String profileName, Map<String, Object> profile) throws SQLException {
    String sql = "update profiles set data = ? where name = ? collate nocase";
    try (PreparedStatement ps = db.prepareStatement(sql)) {
      if (profileName != null && profile != null) {
        ps.setBytes(1, pickle(profile));
        ps.setString(2, profileName);
        ps.executeUpdate();
      }
      ps.setBytes(1, pickle(meta));
      ps.setString(2, "_global");
      ps.executeUpdate();
    }
  }

  Path path() {
    return path;
  }

  @Override
  public void close() {
    closeQuietly(db);
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        Console.diag("closing prefs21.db failed: " + e.getMessage());
      }
    }
  }

  /** Anki's {@code metaConf} defaults (C2). */
  static Map<String, Object> defaultMeta() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ver", 0);
    m.put("updates", true);
    m.put("created", System.currentTimeMillis() / 1000);
    m.put("id", new SecureRandom().nextLong() & Long.MAX_VALUE);
    m.put("lastMsg", 0);
    m.put("suppressUpdate", false);
    m.put("firstRun", true);
    m.put("defaultLang", null);
    return m;
  }

  /** Anki's {@code profileConf} defaults (C2). */
  static Map<String, Object> defaultProfile() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mainWindowGeom", null);
    m.put("mainWindowState", null);
    m.put("numBackups", 50);
    m.put("lastOptimize", System.currentTimeMillis() / 1000);
    m.put("searchHistory", new ArrayList<>());
    m.put("syncKey", null);
    m.put("syncMedia", true);
    m.put("autoSync", true);
    m.put("allowHTML", false);
    m.put("importMode", 1);
    m.put("lastColour", "#00f");
    m.put("stripHTML", true);
    m.put("deleteMedia", false);
    return m;
  }

  /** Unpickles a dict of any protocol 0-5 (Pyrolite); anything else is corrupt. */
  static Map<String, Object> unpickle(byte[] data) throws IOException {
    if (data == null) {
      throw new IOException("no data");
    }
    Object o = new Unpickler().loads(data);
    if (!(o instanceof Map<?, ?> map)) {
      throw new IOException("not a dict: " + (o == null ? "None" : o.getClass().getSimpleName()));
    }
    Map<String, Object> result = new LinkedHashMap<>();
    map.forEach((k, v) -> result.put(String.valueOf(k), v));
    return result;
  }

  /** Pickles a dict in a protocol Python 3 reads (Pyrolite writes protocol 2). */
  static byte[] pickle(Map<String, Object> dict) {
    try {
      return new Pickler(false).dumps(dict);
    } catch (IOException e) {
      throw new IllegalStateException("pickling a dict of plain values failed: " + e.getMessage(), e);
    }
  }
}
