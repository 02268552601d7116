package dev.ankisupervisor.commands;

import dev.ankisupervisor.config.Secret;
import dev.ankisupervisor.config.SecretFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** {@code --api-key-file}, taken by every command that talks to AnkiConnect. */
final class ApiKeyFileOption {
  static final Flag<Path> API_KEY_FILE = Flag.path("--api-key-file", "FILE",
      "A file holding AnkiConnect's apiKey on its first line (never logged or printed). Default: no key.");

  static final List<Flag<?>> FLAGS = List.of(API_KEY_FILE);

  private ApiKeyFileOption() {}

  /** The key, read by the one secret-file reader; an unusable file is exit 78. */
  static Optional<Secret> read(FlagValues values) {
    return SecretFile.read(values.get(API_KEY_FILE), API_KEY_FILE.name());
  }
}
