package dev.ankisupervisor.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The collection sync (issue 4, C8).
 *
 * @param url the self-hosted sync server, always with a trailing slash (C8)
 * @param user the sync user
 * @param password the sync password (never logged; only its SHA-1 host key reaches prefs21.db)
 * @param interval between sync starts; zero turns the loop off
 * @param onStart whether to sync once as soon as Anki is ready
 */
public record SyncSettings(
    Optional<String> url, Optional<String> user, Optional<Secret> password, Duration interval, boolean onStart) {
  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(5);

  public SyncSettings {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(interval, "interval");
    url = url.map(u -> u.endsWith("/") ? u : u + "/");
    if (interval.isNegative()) {
      throw new IllegalArgumentException("sync interval must be >= 0, found " + interval);
    }
    if (user.isPresent() != password.isPresent()) {
      throw new IllegalArgumentException("--sync-user and --sync-password-file go together; give both or neither");
    }
  }

  public boolean isLoopEnabled() {
    return !interval.isZero();
  }
}
