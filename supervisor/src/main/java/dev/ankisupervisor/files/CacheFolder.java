package dev.ankisupervisor.files;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The supervisor's cache folder, by the same rule as the launcher's class-data archives:
 * {@code $CACHE_DIRECTORY} (systemd's {@code CacheDirectory=}, the first of several), else
 * {@code $XDG_CACHE_HOME/anki-supervisor}, else {@code $HOME/.cache/anki-supervisor}. It holds
 * only what can be made again; nothing in it is ever needed.
 *
 * <p>Threading: pure; any thread.
 */
public final class CacheFolder {
  private CacheFolder() {}

  /** The folder for {@code env}, or empty when none of the variables is set. */
  public static Optional<Path> of(Map<String, String> env) {
    String systemd = env.getOrDefault("CACHE_DIRECTORY", "");
    if (!systemd.isBlank()) {
      return Optional.of(Path.of(systemd.split(":", 2)[0]));
    }
    String xdg = env.getOrDefault("XDG_CACHE_HOME", "");
    if (!xdg.isBlank()) {
      return Optional.of(Path.of(xdg, "anki-supervisor"));
    }
    String home = env.getOrDefault("HOME", "");
    return home.isBlank() ? Optional.empty() : Optional.of(Path.of(home, ".cache", "anki-supervisor"));
  }
}
