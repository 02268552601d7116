package dev.ankisupervisor.standin.anki;

import java.nio.file.Path;
import java.time.Duration;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What exists once Anki's main window is built ({@code AnkiQt}): the open profile, the open
 * collection, and the GUI lock that stands for Anki's single GUI thread (A3): AnkiConnect actions
 * and the clean close each hold it, so a slow action delays a close and a hung one blocks it.
 * Fields are read by any thread (volatile) and written under the GUI lock.
 */
final class MainWindow {
  /** Anki's GUI thread: whoever holds this is "running on the GUI thread". */
  final ReentrantLock gui = new ReentrantLock();
  private final Path base;
  private final PrefsStore prefs;
  /** {@code pm.name}: the loaded profile's name, or null. */
  private volatile String profileName;
  /** {@code pm.profile}: the loaded profile's dict, or null. */
  private volatile Map<String, Object> profile;
  /** {@code mw.col}: the open collection, or null. */
  private volatile CollectionHolder collection;
  /** The profile passed with -p named no profile (C3: the chooser follows). */
  private boolean invalidProfileOnCommandLine;

  MainWindow(Path base, PrefsStore prefs) {
    this.base = base;
    this.prefs = prefs;
  }

  Path base() {
    return base;
  }

  PrefsStore prefs() {
    return prefs;
  }

  String profileName() {
    return profileName;
  }

  Map<String, Object> profile() {
    return profile;
  }

  CollectionHolder collection() {
    return collection;
  }

  boolean hasCollection() {
    return collection != null;
  }

  /** {@code pm.openProfile}: -p must name a profile exactly (case-sensitive, C3). */
  void openProfileFromCommandLine(String name) throws SQLException {
    if (!prefs.profiles().contains(name)) {
      Console.diag("-p " + name + " names no profile (profiles: " + prefs.profiles() + ")");
      invalidProfileOnCommandLine = true;
    } else {
      load(name);
    }
  }

  /** {@code pm.load}: reads the profile's dict and remembers it as last loaded. */
  private void load(String name) throws SQLException {
    profile = prefs.loadProfile(name);
    profileName = name;
  }

  /**
   * {@code AnkiQt.setupProfile}: on a first run loads the first profile and saves prefs at once;
   * otherwise a valid -p, the single profile, or {@code last_loaded_profile_name}; else the chooser.
   * Returns the dialog the GUI is left in, or null when the collection opened.
   */
  Dialog setupProfile() throws SQLException {
    if (Boolean.TRUE.equals(prefs.meta().get("firstRun"))) {
      load(prefs.profiles().get(0));
      prefs.meta().put("firstRun", false);
      prefs.save(profileName, profile);
    }
    if (profileName == null && !invalidProfileOnCommandLine) {
      List<String> profiles = prefs.profiles();
      Object last = prefs.meta().get("last_loaded_profile_name");
      if (profiles.size() == 1) {
        load(profiles.get(0));
      } else if (last instanceof String s && profiles.contains(s)) {
        load(s);
      }
    }
    if (profileName == null) {
      Console.diag("profiles " + prefs.profiles() + ": none chosen by -p or last_loaded_profile_name (C3)");
      return Dialog.PROFILE_CHOOSER;
    }
    return loadCollection();
  }

  /** {@code AnkiQt.loadCollection}: a failure shows "unable to open collection", then the chooser. */
  private Dialog loadCollection() {
    Path path = base.resolve(profileName).resolve("collection.anki2");
    try {
      collection = CollectionHolder.open(path);
      Console.diag("collection open and locked: " + path + " (C7)");
      return null;
    } catch (SQLException e) {
      Console.anki("Anki was unable to open your collection file. If problems persist after"
          + " restarting your computer, please use the Open Backup button in the profile manager.");
      Console.anki("Traceback (most recent call last):");
      Console.anki("  File \"aqt/main.py\", line 650, in loadCollection");
      Console.anki("anki.errors.DBError: " + e.getMessage());
      Dialog.UNABLE_TO_OPEN_COLLECTION.announce();
      profile = null; // showProfileManager: pm.profile = None; pm.name stays
      return Dialog.PROFILE_CHOOSER;
    }
  }

  /**
   * The clean close (C6): close the collection (checkpointing its WAL), save prefs21.db. Takes the
   * GUI lock, so it waits for a running action and blocks AnkiConnect while it runs; {@code extra}
   * (ANKI_STANDIN_CLOSE_DELAY_MS) stands for a big collection's slow close. The caller exits afterwards.
   */
  void closeCleanly(Duration extra) {
    gui.lock();
    try {
      Pause.sleep(extra);
      CollectionHolder col = collection;
      if (col != null) {
        col.close();
        collection = null;
      }
      prefs.save(profileName, profile);
      prefs.close();
    } catch (SQLException e) {
      Console.diag("clean close failed: " + e.getMessage());
    } finally {
      gui.unlock();
    }
  }
}
