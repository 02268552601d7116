package dev.ankisupervisor.watch;

/**
 * Anki failed more often than the restart policy allows within its window:
 * the supervisor gave up so that systemd's own restart limits apply. Mapped to exit 69.
 */
public final class CrashLoopException extends Exception {
  public CrashLoopException(String message) {
    super(message);
  }
}
