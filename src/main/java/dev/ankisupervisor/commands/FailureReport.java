package dev.ankisupervisor.commands;

import dev.ankisupervisor.config.SecretFile;
import dev.ankisupervisor.prepare.ForeignHolderException;
import dev.ankisupervisor.prepare.NetworkNotReadyException;
import dev.ankisupervisor.prepare.PrepareException;
import dev.ankisupervisor.status.Health;
import dev.ankisupervisor.watch.CrashLoopException;
import java.io.PrintWriter;
import java.util.function.ToIntFunction;

/**
 * What a command's failure becomes: its exit code, and what the operator reads. A failure the operator
 * can fix is one line, no stack trace; a bug is the stack trace. For picocli's commands
 * ({@link AnkiSupervisorCommand}) and {@code run}'s quick path ({@link QuickRun}) alike; no picocli
 * type here (a bad flag is picocli's own, mapped there).
 *
 * <p>Stateless; the main thread.
 */
final class FailureReport {
  private FailureReport() {}

  /**
   * Prints {@code e} for {@code command} and gives the exit code.
   *
   * @param nagios whether the command answers monitoring ({@code status}): every failure is then 3, UNKNOWN
   * @param exitCodes the exit code of a failure otherwise ({@link #exitCodeOf}, or picocli's mapper over it)
   */
  static int print(Exception e, String command, PrintWriter err, ErrorLine errors, boolean nagios,
      ToIntFunction<Throwable> exitCodes) {
    if (e instanceof LoggedFailure && errors.stderrIsJournal()) {
      // Already in the journal at ERROR (the supervisor's "giving up" line): once is enough.
    } else if (isOperatorError(e)) {
      // The operator's mistake: one line, no stack trace.
      errors.print(err, command + ": " + oneLine(e.getMessage()));
    } else {
      (e instanceof LoggedFailure logged ? logged.failure() : e).printStackTrace(err);
    }
    err.flush();
    if (nagios) {
      // status answers monitoring: whatever went wrong, stay within Nagios' 0-3.
      return Health.UNKNOWN.exitCode();
    }
    return exitCodes.applyAsInt(e);
  }

  /** The exit code of a failure (docs/errors.md): the operator's kinds by their cause, anything else 1. */
  static int exitCodeOf(Throwable t) {
    if (t instanceof LoggedFailure logged) {
      return exitCodeOf(logged.failure());
    }
    if (t instanceof UserError e) {
      return e.exitCode().code();
    }
    if (t instanceof SecretFile.UnreadableException) {
      return ExitCode.CONFIG.code();
    }
    if (t instanceof CrashLoopException) {
      return ExitCode.ANKI_UNAVAILABLE.code();
    }
    if (t instanceof NetworkNotReadyException) {
      return ExitCode.NETWORK_NOT_READY.code();
    }
    if (t instanceof ForeignHolderException) {
      return ExitCode.CONFIG.code();
    }
    if (t instanceof PrepareException e) {
      return switch (e.kind()) {
        case CONFIG -> ExitCode.CONFIG.code();
        case IO -> ExitCode.IO.code();
        case DATA -> ExitCode.DATA.code();
        case NETWORK_NOT_READY -> ExitCode.NETWORK_NOT_READY.code();
      };
    }
    return ExitCode.SOFTWARE.code();
  }

  /** Failures the operator can fix: one line, no stack trace. */
  static boolean isOperatorError(Throwable t) {
    if (t instanceof LoggedFailure logged) {
      return isOperatorError(logged.failure());
    }
    return t instanceof UserError || t instanceof SecretFile.UnreadableException || t instanceof PrepareException
        || t instanceof CrashLoopException;
  }

  /** Message text as one line: control characters (a newline in a value) become spaces. */
  static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\p{Cntrl}+", " ").strip();
  }
}
