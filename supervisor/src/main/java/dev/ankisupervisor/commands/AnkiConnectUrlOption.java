package dev.ankisupervisor.commands;

import dev.ankisupervisor.ankiconnect.AnkiConnectEndpoint;
import dev.ankisupervisor.statusfile.StatusReader;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code --url}: where {@code check} and {@code full-sync} reach AnkiConnect. Without it they use the
 * address the running supervisor wrote into its status file ({@code ankiConnect.url}), so on a
 * default install they find the Tailscale address by themselves; else {@link #FALLBACK}. A picocli
 * mixin.
 */
final class AnkiConnectUrlOption {
  static final String FALLBACK = "http://127.0.0.1:8765/";

  @Option(names = "--url", paramLabel = "URL",
      description = "AnkiConnect's URL. Default: the status file's ankiConnect.url (where the supervisor bound it),"
          + " else " + FALLBACK + ".")
  String url;

  /** The URL to use: the flag (or its variable), else the status file's, else the fallback. */
  String resolve(Path statusFile) {
    if (url != null) {
      return url;
    }
    return StatusReader.read(statusFile) instanceof StatusReader.Parsed p && p.document().ankiConnect().url() != null
        ? p.document().ankiConnect().url() : FALLBACK;
  }

  /** AnkiConnect's endpoint; a bad URL is 64 from the flag, 78 from the environment or the config file. */
  AnkiConnectEndpoint endpoint(CommandSpec spec, Path statusFile, Optional<String> key) {
    String resolved = resolve(statusFile);
    return SettingsCheck.checked(spec, () -> {
      try {
        return new AnkiConnectEndpoint(resolved, key);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(e.getMessage() + "; give --url like " + FALLBACK, e);
      }
    }, "--url");
  }
}
