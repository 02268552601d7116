package dev.ankisupervisor.prepare;

import dev.ankisupervisor.config.AnkiSettings;
import dev.ankisupervisor.config.SyncSettings;
import dev.ankisupervisor.os.LockTable;
import java.time.Clock;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Pre-creates or repairs {@code <base>/prefs21.db} (C2) so none of C3's dialogs appears: the
 * {@code _global} row and the profile row, each a Python pickle of a dict, with Anki's defaults
 * for missing keys, the headless seed on top, and every other key already there kept (window
 * state, an existing sync login, add-on keys, values of any Python type, byte for byte), and every
 * other row and table kept. A file that cannot be opened is an error and stays as it is; only a
 * file read and found corrupt is moved aside to {@code prefs21.db.corrupt-<UTC time>} (with its
 * journal files), and a row that does not unpickle is replaced only after the whole file was copied
 * there: nothing is ever deleted. The new file is built beside the target and renamed over it, so a
 * crash never leaves a half-written prefs21.db.
 *
 * <p>Call only while no Anki of this base runs (C2: Anki writes the file on close and has no busy
 * wait); the caller guarantees it with {@link StaleHolderClearer}, and {@link #seed} refuses with a
 * {@link PrepareException} (CONFIG) when /proc/locks still shows another process locking
 * prefs21.db or the collection. Not thread-safe for the same base: one caller at a time.
 */
public final class PrefsSeeder {
  /** Anki 25.09.2's version number as Anki stores it in last_run_version. */
  public static final int LAST_RUN_VERSION = 250902;

  private final Clock clock;
  private final LongSupplier randomId;
  private final LockTable locks;
  /** Test seam: runs after the new file is complete and fsynced, before the rename. */
  private final Runnable beforeRename;

  /** The real clock, a SecureRandom 63-bit id and the real /proc/locks. */
  public PrefsSeeder() {
    this(Clock.systemUTC(), PrefsSeeder::random63, LockTable.system());
  }

  PrefsSeeder(Clock clock, LongSupplier randomId, LockTable locks) {
    this(clock, randomId, locks, () -> {});
  }

  PrefsSeeder(Clock clock, LongSupplier randomId, LockTable locks, Runnable beforeRename) {
    this.beforeRename = Objects.requireNonNull(beforeRename, "beforeRename");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.randomId = Objects.requireNonNull(randomId, "randomId");
    this.locks = Objects.requireNonNull(locks, "locks");
  }

  /**
   * Seeds prefs21.db for {@code anki.profile()}.
   *
   * <p>Sync login (C8): when {@code sync} has a user and password, the profile gets
   * {@code syncUser}, {@code customSyncUrl} (with trailing slash, when a url is set) and
   * {@code syncKey} = lowercase hex SHA-1 of {@code user:password}: an existing key is kept only
   * when it is that very key; any other (a rotated password's stale key) is replaced.
   *
   * <p>Profile name: Anki's {@code -p} is exact (profiles.py checks {@code name in profiles()}),
   * while the table is {@code collate nocase}; a row that matches only in another case is refused
   * (CONFIG, naming the spelling to pass), never renamed.
   *
   * @throws PrepareException CONFIG when another process locks prefs21.db or the collection, the
   *     profile exists only in another case, or permissions keep this process from reading and writing
   *     the file; IO when it cannot be read, moved aside or written for another reason
   */
  public PrefsSeedReport seed(AnkiSettings anki, SyncSettings sync) throws PrepareException {
    return new PrefsDatabase(anki, sync, clock, randomId, locks, beforeRename).seed();
  }

  private static long random63() {
    return new java.security.SecureRandom().nextLong() >>> 1;
  }
}
