package dev.ankisupervisor.commands;

/**
 * A failure the operator can fix: printed as one line, no stack trace, and mapped to its exit code
 * by {@link AnkiSupervisorCommand}'s exception mapper.
 */
public final class UserError extends RuntimeException {
  private final ExitCode exitCode;

  public UserError(ExitCode exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public UserError(ExitCode exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public ExitCode exitCode() {
    return exitCode;
  }
}
