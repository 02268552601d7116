package dev.ankisupervisor.commands;

import dev.ankisupervisor.config.SyncSettings;
import java.util.List;

/**
 * {@code --sync-url}, taken by {@code run} (where it syncs) and {@code doctor} (whose /health it
 * probes). The URL rules of {@link SyncSettings#checkUrl} apply before anything is written, to a
 * flag, a variable or a config file's entry alike; an empty value means "no sync server".
 */
final class SyncUrlOption {
  static final Flag<String> SYNC_URL = Flag.text("--sync-url", "URL",
      "The self-hosted sync server, e.g. http://host:27701/ (trailing slash added). Default: none.")
      .checkedBy(url -> {
        if (!url.isEmpty()) {
          SyncSettings.checkUrl(url);
        }
      });

  static final List<Flag<?>> FLAGS = List.of(SYNC_URL);

  private SyncUrlOption() {}
}
