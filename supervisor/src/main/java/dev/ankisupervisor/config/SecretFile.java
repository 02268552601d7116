package dev.ankisupervisor.config;

import dev.ankisupervisor.files.TextFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The one reader of a secret file (AnkiConnect's API key, the sync password) for every command:
 * size-capped, text only, the secret on the first line; one wording for every failure. Stateless;
 * any thread.
 */
public final class SecretFile {
  private SecretFile() {}

  /** A secret file that cannot be used: always the deployment's configuration (exit 78). */
  public static final class UnreadableException extends RuntimeException {
    UnreadableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * The secret in {@code file}, or empty when no file is given.
   *
   * @param flag the flag naming the file, for the message (e.g. {@code --api-key-file})
   * @throws UnreadableException when the file is missing, unreadable, not text, too large or empty
   */
  public static Optional<Secret> read(Path file, String flag) {
    if (file == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Secret.fromFileText(file, TextFile.read(file, TextFile.SETTINGS_MAX_BYTES)));
    } catch (IOException | IllegalArgumentException e) {
      throw new UnreadableException("cannot read " + flag + " " + file + " (" + e.getMessage()
          + "); it must be readable by this user (run as the service's user, or root) and hold the secret"
          + " on its first line", e);
    }
  }
}
