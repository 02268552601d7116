package dev.ankisupervisor.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The collection sync (C8).
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
  /** The shortest interval of a running loop (0 turns it off). */
  public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

  public SyncSettings {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(interval, "interval");
    url.ifPresent(SyncSettings::checkUrl);
    url = url.map(u -> u.endsWith("/") ? u : u + "/");
    if (interval.isNegative()) {
      throw new IllegalArgumentException("sync interval must be >= 0, found " + interval);
    }
    if (!interval.isZero() && interval.compareTo(MIN_INTERVAL) < 0) {
      // A fraction of a second is a typo, not a wish: it would sync without pause, or count as 0 (off).
      throw new IllegalArgumentException("--sync-interval " + interval + " is shorter than 1s; give 0 to turn the sync"
          + " loop off, or an interval of at least 1s such as 5m");
    }
    if (user.isPresent() != password.isPresent()) {
      throw new IllegalArgumentException("--sync-user and --sync-password-file go together; give both or neither");
    }
  }

  /**
   * The rules for a sync server URL (C8), checked before it can reach prefs21.db: http or https, a
   * host, a port 1-65535 if given, no user:password (secrets go in files), no query or fragment, no
   * blanks or control characters.
   *
   * @throws IllegalArgumentException naming the rule broken and the fix
   */
  public static void checkUrl(String url) {
    String fix = "; give the sync server's URL like http://host:27701/";
    if (url.isEmpty() || url.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
      throw new IllegalArgumentException("sync URL '" + url.replaceAll("\\p{Cntrl}", "?") + "' is empty or holds blanks or"
          + " control characters" + fix);
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("sync URL '" + url + "' is not a URL (" + e.getReason() + ")" + fix);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("sync URL '" + url + "' must start with http:// or https://" + fix);
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IllegalArgumentException("sync URL '" + url + "' has no valid host name" + fix);
    }
    if (uri.getPort() == 0 || uri.getPort() > 65535 || (uri.getPort() < 0 && uri.getRawAuthority().matches(".*:[^\\]]*$"))) {
      throw new IllegalArgumentException("sync URL '" + url + "' has a port outside 1-65535" + fix);
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("sync URL '" + url.replace(uri.getRawUserInfo() + "@", "<user-info>@")
          + "' holds a user name or password; give them with --sync-user and --sync-password-file instead");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("sync URL '" + url + "' has a query or fragment (?, #); Anki appends its own"
          + " paths to it" + fix);
    }
  }

  public boolean isLoopEnabled() {
    return !interval.isZero();
  }
}
