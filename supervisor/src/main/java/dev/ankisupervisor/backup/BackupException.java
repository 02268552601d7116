package dev.ankisupervisor.backup;

/**
 * A backup that did not happen, with the kind of failure the {@code backup} command maps to its
 * exit code. The message is one line in three parts: what failed, why, how to fix it.
 */
public final class BackupException extends Exception {
  /** What went wrong, as the command's exit code sees it. */
  public enum Kind {
    /** The source is missing, not a folder, empty or holds no database: nothing was touched (78). */
    SOURCE_REFUSED,
    /** A setting is wrong: the destination, the unit, another backup running (78). */
    CONFIG,
    /** A copied database failed {@code pragma integrity_check}, or the source kept changing (65). */
    DATA,
    /** Reading or writing a file failed (74). */
    IO
  }

  private final Kind kind;

  public BackupException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public BackupException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
