package dev.ankisupervisor.prepare;

import dev.ankisupervisor.config.AnkiSettings;
import dev.ankisupervisor.config.SyncSettings;
import java.time.Clock;
import java.util.function.LongSupplier;

/** One seeding of one prefs21.db (see {@link PrefsSeeder}). Single use, single thread. */
final class PrefsDatabase {
  PrefsDatabase(AnkiSettings anki, SyncSettings sync, Clock clock, LongSupplier randomId, LockTable locks) {}

  PrefsSeedReport seed() throws PrepareException {
    throw new UnsupportedOperationException("not implemented yet");
  }
}
