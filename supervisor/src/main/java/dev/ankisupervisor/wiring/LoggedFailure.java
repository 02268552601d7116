package dev.ankisupervisor.wiring;

/**
 * Why {@code run} ended, when the supervisor has already logged it at ERROR: under journald the
 * exit handler then prints nothing more, so the journal holds the final error once. Carries the
 * cause, whose type decides the exit code.
 */
public final class LoggedFailure extends RuntimeException {
  public LoggedFailure(Exception cause) {
    super(cause.getMessage(), cause);
  }

  public Exception failure() {
    return (Exception) getCause();
  }
}
