package dev.ankisupervisor.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A secret (API key, sync password). {@link #toString()} never shows it, so a secret cannot reach a
 * log line by accident; call {@link #reveal()} only where it must go.
 */
public record Secret(String value) {
  public Secret {
    Objects.requireNonNull(value, "value");
    if (value.isEmpty()) {
      throw new IllegalArgumentException("a secret must not be empty");
    }
  }

  /**
   * The secret in a secret file's text (agenix, systemd LoadCredential): the first line, trailing
   * newline dropped. Reading the file (with its size cap) is the caller's job.
   */
  public static Secret fromFileText(Path file, String text) throws IOException {
    int nl = text.indexOf('\n');
    String first = (nl >= 0 ? text.substring(0, nl) : text).strip();
    if (first.isEmpty()) {
      throw new IOException(file + " is empty; it must hold the secret on its first line");
    }
    return new Secret(first);
  }

  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return "Secret[<redacted>]";
  }
}
