package dev.ankisupervisor.commands;

import dev.ankisupervisor.config.Secret;
import dev.ankisupervisor.config.SecretFile;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --api-key-file}, shared by every command that talks to AnkiConnect. A picocli mixin. */
final class ApiKeyFileOption {
  static final String FLAG = "--api-key-file";

  @Option(names = FLAG, paramLabel = "FILE",
      description = "A file holding AnkiConnect's apiKey on its first line (never logged or printed). Default: no key.")
  Path file;

  /** The key, read by the one secret-file reader; an unusable file is exit 78. */
  Optional<Secret> read() {
    return SecretFile.read(file, FLAG);
  }
}
