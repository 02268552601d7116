package dev.ankisupervisor.prepare;

import dev.ankisupervisor.config.AnkiSettings;
import dev.ankisupervisor.config.SyncSettings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The values prefs21.db gets (C2, C8): Anki 25.09.2's defaults (qt/aqt/profiles.py {@code metaConf}
 * and {@code profileConf}), filled in only where a key is missing, and the headless seed, which
 * always wins. Pure apart from the injected clock and id source; single thread.
 */
final class PrefsSeeds {
  private static final Logger LOG = LoggerFactory.getLogger(PrefsSeeds.class);

  /** Anki checks after a day (aqt/main.py); refreshing at half of that always stays ahead. */
  static final long ADDON_CHECK_REFRESH_SECONDS = 12 * 3600;

  private final Clock clock;
  private final LongSupplier randomId;

  PrefsSeeds(Clock clock, LongSupplier randomId) {
    this.clock = clock;
    this.randomId = randomId;
  }

  /** profiles.py metaConf (C2). */
  Map<String, Object> globalDefaults() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ver", 0);
    m.put("updates", true);
    m.put("created", now());
    m.put("id", randomId.getAsLong() & Long.MAX_VALUE); // random.randrange(0, 2**63)
    m.put("lastMsg", 0);
    m.put("suppressUpdate", false);
    m.put("firstRun", true);
    m.put("defaultLang", null);
    return m;
  }

  /** profiles.py profileConf (C2). */
  Map<String, Object> profileDefaults() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mainWindowGeom", null);
    m.put("mainWindowState", null);
    m.put("numBackups", 50);
    m.put("lastOptimize", now());
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

  /** The headless seed of _global (C2, C3). */
  void seedGlobal(Map<String, Object> global, AnkiSettings anki) {
    global.put("firstRun", false); // else Anki loads the first profile, whatever -p says
    String lang = anki.langFlag().orElse(null);
    if (lang == null) {
      lang = global.get("defaultLang") instanceof String s && !s.isBlank() ? s : "en_US";
    }
    global.put("defaultLang", lang); // None on a later run: "Startup Error" (C3)
    global.put("check_for_updates", false);
    // Anki checks AnkiWeb for add-on updates at each profile load when the last check is a day old
    // or the version changed; for a numeric add-on folder (2055492159) that reaches the network and
    // may rewrite the add-on's meta.json (C2). "Checked lately" skips it; refreshed only when half
    // a day old, so that a relaunch soon after does not rewrite prefs21.db for this alone.
    long checked = global.get("last_addon_update_check") instanceof Number n ? n.longValue() : 0;
    if (now() - checked > ADDON_CHECK_REFRESH_SECONDS || checked > now()) {
      global.put("last_addon_update_check", now());
    }
    // "follow the system" (0, the default) runs dbus-send and gsettings at every start (C2); an
    // explicit light (1) or dark (2) is kept
    if (!(global.get("theme") instanceof Integer t && (t == 1 || t == 2))) {
      global.put("theme", 1);
    }
    global.put("last_loaded_profile_name", anki.profile());
    // Anki stores the version it last ran as; never lower a newer one a newer Anki wrote
    long lastRun = global.get("last_run_version") instanceof Number n ? n.longValue() : 0;
    global.put("last_run_version", (int) Math.max(lastRun, PrefsSeeder.LAST_RUN_VERSION));
  }

  /** The headless seed of the profile (C2: auto sync on open/close pops full-sync dialogs). */
  void seedProfile(Map<String, Object> profile) {
    profile.put("autoSync", false);
  }

  /**
   * The sync login (C8); see {@link PrefsSeeder#seed} for the rule. Changing
   * customSyncUrl also clears currentSyncUrl, as Anki's own set_custom_sync_url does (a stale
   * redirect would win over the new url).
   */
  static PrefsSeedReport.SyncKeyAction seedSyncLogin(Map<String, Object> profile, SyncSettings sync) {
    if (sync.user().isEmpty() || sync.password().isEmpty()) {
      return PrefsSeedReport.SyncKeyAction.NOT_CONFIGURED;
    }
    String user = sync.user().get();
    Optional<String> url = sync.url().or(() -> Optional.ofNullable(profile.get("customSyncUrl") instanceof String s ? s : null));
    if (url.isEmpty()) {
      LOG.warn("sync user '{}' given without --sync-url and the profile has no customSyncUrl; not writing a sync login"
          + " (the sha1 host key works only with a self-hosted server); set --sync-url", user);
      return PrefsSeedReport.SyncKeyAction.NOT_CONFIGURED;
    }
    String wanted = hostKey(user, sync.password().get().reveal());
    Object key = profile.get("syncKey");
    boolean sameLogin = user.equals(profile.get("syncUser")) && url.get().equals(profile.get("customSyncUrl"));
    if (sameLogin && wanted.equals(key)) {
      LOG.info("profile already holds the sync key for '{}' at {}; keeping it", user, url.get());
      return PrefsSeedReport.SyncKeyAction.KEPT;
    }
    if (sameLogin && key instanceof String k && !k.isEmpty()) {
      // A rotated password (or a key from elsewhere): the key the given password makes is the one
      // the self-hosted server checks (C8); the old one would fail every sync with auth_failed.
      LOG.info("replacing the stale sync key for '{}' at {}: it is not the one --sync-password-file's password"
          + " makes (a rotated password)", user, url.get());
    }
    if (!url.get().equals(profile.get("customSyncUrl"))) {
      profile.put("currentSyncUrl", null);
    }
    profile.put("customSyncUrl", url.get());
    profile.put("syncUser", user);
    profile.put("syncKey", wanted);
    LOG.info("wrote the sync login for '{}' at {} (host key = sha1 of user:password)", user, url.get());
    return PrefsSeedReport.SyncKeyAction.WRITTEN;
  }

  /** Lowercase hex SHA-1 of the exact "user:password" (C8; the self-hosted server's derive_hkey). */
  static String hostKey(String user, String password) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest((user + ":" + password).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-1", e);
    }
  }

  /** Defaults, then every existing key on top (existing values win). */
  static Map<String, Object> merge(Map<String, Object> defaults, Map<String, Object> existing) {
    Map<String, Object> m = new LinkedHashMap<>(defaults);
    if (existing != null) {
      m.putAll(existing);
    }
    return m;
  }

  /** Appends "prefix.key" for each key added or changed from {@code before} to {@code after}. */
  static void changedKeys(String prefix, Map<String, Object> before, Map<String, Object> after, List<String> out) {
    for (Map.Entry<String, Object> e : after.entrySet()) {
      boolean same = before != null && before.containsKey(e.getKey())
          && PythonPickle.sameValue(before.get(e.getKey()), e.getValue());
      if (!same) {
        out.add(prefix + "." + e.getKey());
      }
    }
  }

  private long now() {
    return clock.instant().getEpochSecond();
  }

}
