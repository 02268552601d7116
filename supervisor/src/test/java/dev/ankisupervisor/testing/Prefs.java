package dev.ankisupervisor.testing;

import java.io.IOException;
import java.nio.file.Path;
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
import net.razorvine.pickle.Pickler;
import net.razorvine.pickle.Unpickler;

/**
 * Writes and reads a seed prefs21.db (C2) for tests, as the supervisor's seed would: {@code _global}
 * with {@code firstRun False}, a {@code defaultLang}, {@code last_loaded_profile_name}, update checks
 * off; each profile row with Anki's defaults and {@code autoSync False}. Values are Python pickles
 * (Pyrolite). Not thread-safe; build, then write.
 */
public final class Prefs {
  private final List<String> profiles = new ArrayList<>();
  private final Map<String, Object> global = new LinkedHashMap<>();
  private final Map<String, Map<String, Object>> profileExtras = new LinkedHashMap<>();

  private Prefs() {
    global.put("ver", 0);
    global.put("updates", true);
    global.put("created", System.currentTimeMillis() / 1000);
    global.put("id", 4242424242L);
    global.put("lastMsg", 0);
    global.put("suppressUpdate", false);
    global.put("firstRun", false);
    global.put("defaultLang", "en_US");
    global.put("check_for_updates", false);
    global.put("last_addon_update_check", (int) (System.currentTimeMillis() / 1000));
    global.put("theme", 1);
    global.put("last_run_version", 250902);
  }

  /** A seed with one profile, also named as last loaded. */
  public static Prefs seed(String profile) {
    return new Prefs().profile(profile).lastLoaded(profile);
  }

  /** A seed with no profile rows yet. */
  public static Prefs empty() {
    return new Prefs();
  }

  public Prefs profile(String name) {
    profiles.add(name);
    return this;
  }

  /** Extra keys for one profile's dict (syncKey, customSyncUrl, ...). */
  public Prefs profileValue(String profile, String key, Object value) {
    profileExtras.computeIfAbsent(profile, p -> new LinkedHashMap<>()).put(key, value);
    return this;
  }

  /** Sets {@code last_loaded_profile_name} (null removes it). */
  public Prefs lastLoaded(String name) {
    return global("last_loaded_profile_name", name);
  }

  /** Sets any {@code _global} key (null value: Python None; use {@link #removeGlobal} to drop). */
  public Prefs global(String key, Object value) {
    if (value == null && key.equals("last_loaded_profile_name")) {
      global.remove(key);
    } else {
      global.put(key, value);
    }
    return this;
  }

  public Prefs removeGlobal(String key) {
    global.remove(key);
    return this;
  }

  /** Writes {@code <base>/prefs21.db} (replacing rows of the same names). */
  public Path write(Path base) throws IOException, SQLException {
    java.nio.file.Files.createDirectories(base);
    Path path = base.resolve("prefs21.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + path);
        Statement st = c.createStatement()) {
      st.execute("create table if not exists profiles (name text primary key collate nocase, data blob not null)");
      try (PreparedStatement ps = c.prepareStatement("insert or replace into profiles values (?, ?)")) {
        ps.setString(1, "_global");
        ps.setBytes(2, pickle(global));
        ps.executeUpdate();
        for (String p : profiles) {
          Map<String, Object> data = defaultProfile();
          data.putAll(profileExtras.getOrDefault(p, Map.of()));
          ps.setString(1, p);
          ps.setBytes(2, pickle(data));
          ps.executeUpdate();
        }
      }
    }
    return path;
  }

  /** Reads every row of {@code <base>/prefs21.db}, unpickled, by name. */
  public static Map<String, Map<String, Object>> read(Path base) throws IOException, SQLException {
    Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + base.resolve("prefs21.db"));
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select name, data from profiles")) {
      while (rs.next()) {
        Map<?, ?> m = (Map<?, ?>) new Unpickler().loads(rs.getBytes(2));
        Map<String, Object> row = new LinkedHashMap<>();
        m.forEach((k, v) -> row.put(String.valueOf(k), v));
        rows.put(rs.getString(1), row);
      }
    }
    return rows;
  }

  private static Map<String, Object> defaultProfile() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mainWindowGeom", null);
    m.put("mainWindowState", null);
    m.put("numBackups", 50);
    m.put("lastOptimize", System.currentTimeMillis() / 1000);
    m.put("searchHistory", new ArrayList<>());
    m.put("syncKey", null);
    m.put("syncMedia", true);
    m.put("autoSync", false); // headless seed (C2)
    m.put("allowHTML", false);
    m.put("importMode", 1);
    m.put("lastColour", "#00f");
    m.put("stripHTML", true);
    m.put("deleteMedia", false);
    return m;
  }

  private static byte[] pickle(Map<String, Object> m) throws IOException {
    return new Pickler(false).dumps(m);
  }
}
