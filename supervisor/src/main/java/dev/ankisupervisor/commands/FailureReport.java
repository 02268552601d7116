package dev.ankisupervisor.commands;

import dev.ankisupervisor.status.Health;
import dev.ankisupervisor.wiring.LoggedFailure;
import java.io.PrintWriter;
import java.util.function.ToIntFunction;

/**
 * What the operator reads of a command's failure, and its exit code ({@link ExitCodeMapper}'s): a
 * failure the operator can fix is one line, no stack trace; a bug is the stack trace. For picocli's
 * commands ({@link AnkiSupervisorCommand}) and the quick paths of {@code run} ({@link QuickRun}) and
 * {@code backup} alike; no picocli type here (a bad flag is picocli's own, mapped there).
 *
 * <p>Stateless; the main thread.
 */
final class FailureReport {
  private FailureReport() {}

  /**
   * Prints {@code e} for {@code command} and gives the exit code.
   *
   * @param nagios whether the command answers monitoring ({@code status}): every failure is then 3, UNKNOWN
   * @param exitCodes the exit code of a failure otherwise ({@link ExitCodeMapper#exitCodeOf}, or picocli's
   *     mapper over it)
   */
  static int print(Exception e, String command, PrintWriter err, ErrorLine errors, boolean nagios,
      ToIntFunction<Throwable> exitCodes) {
    if (e instanceof LoggedFailure && errors.stderrIsJournal()) {
      // Already in the journal at ERROR (the supervisor's "giving up" line): once is enough.
    } else if (ExitCodeMapper.isOperatorError(e)) {
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

  /** Message text as one line: control characters (a newline in a value) become spaces. */
  static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\p{Cntrl}+", " ").strip();
  }
}
