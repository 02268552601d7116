package dev.ankisupervisor.commands;

/**
 * Why {@code run} ended, when the supervisor has already logged it at ERROR: under journald the
 * exit handler then prints nothing more, so the journal holds the final error once. Carries the
 * cause, whose type decides the exit code.
 */
final class LoggedFailure extends RuntimeException {
  LoggedFailure(Exception cause) {
    super(cause.getMessage(), cause);
  }

  Exception failure() {
    return (Exception) getCause();
  }
}
