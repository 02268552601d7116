package dev.ankisupervisor.commands;

import dev.ankisupervisor.config.Secret;
import dev.ankisupervisor.files.TextFile;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads a secret file (API key, sync password) for every command the same way: size-capped, text
 * only, first line. Stateless; any thread.
 */
final class SecretFile {
  private SecretFile() {}

  static Secret read(Path file) throws IOException {
    return Secret.fromFileText(file, TextFile.read(file, TextFile.SETTINGS_MAX_BYTES));
  }
}
