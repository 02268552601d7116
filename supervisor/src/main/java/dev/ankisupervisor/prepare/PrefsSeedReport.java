package dev.ankisupervisor.prepare;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link PrefsSeeder#seed} did to prefs21.db.
 *
 * @param written true when prefs21.db was (re)written; false when it already held every seeded value
 * @param movedAside where an unreadable prefs21.db was moved ({@code prefs21.db.corrupt-<UTC time>}), if any
 * @param profileCreated true when the profile row did not exist before
 * @param syncKey what happened to the sync login (C8)
 * @param changedKeys the keys whose value we set or changed, as "_global.firstRun" / "profile.autoSync"
 *     (names only, never values: syncKey is a secret)
 */
public record PrefsSeedReport(
    boolean written, Optional<Path> movedAside, boolean profileCreated, SyncKeyAction syncKey, List<String> changedKeys) {
  /** What happened to the profile's sync login. */
  public enum SyncKeyAction {
    /** No sync user/password given: syncKey/syncUser/customSyncUrl left as they were. */
    NOT_CONFIGURED,
    /** The profile already held the key the given user, password and url make: kept as it was. */
    KEPT,
    /** syncKey = sha1("user:password") written, with syncUser and customSyncUrl. */
    WRITTEN
  }

  public PrefsSeedReport {
    Objects.requireNonNull(movedAside, "movedAside");
    Objects.requireNonNull(syncKey, "syncKey");
    changedKeys = List.copyOf(changedKeys);
  }
}
