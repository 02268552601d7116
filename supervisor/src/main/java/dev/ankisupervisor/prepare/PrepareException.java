package dev.ankisupervisor.prepare;

import java.util.Objects;

/**
 * A preparation step that could not be done; {@link #kind()} says whose problem it is, and the
 * commands map it to an exit code ({@code CONFIG} 78, {@code IO} 74, {@code DATA} 65,
 * {@code NETWORK_NOT_READY} 75). The message is one line in three parts: what failed (value), why
 * (rule), how to fix it (flag or file). It never holds a secret.
 *
 * <p>Immutable; safe to pass between threads.
 */
public class PrepareException extends Exception {
  /** Whose problem a failure is. */
  public enum Kind {
    /** The operator must fix a setting, a folder or a foreign process (exit 78). */
    CONFIG,
    /** A file we must read or write failed at the OS level (exit 74). */
    IO,
    /** A file holds data we cannot use and cannot safely replace (exit 65). */
    DATA,
    /** The bind address did not appear in time; systemd may try again (exit 75). */
    NETWORK_NOT_READY
  }

  private final Kind kind;

  public PrepareException(Kind kind, String message) {
    super(message);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  public PrepareException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  public final Kind kind() {
    return kind;
  }
}
