package dev.ankisupervisor.commands;

import dev.ankisupervisor.systemd.JournalStream;
import dev.ankisupervisor.systemd.Notifier;
import java.io.PrintWriter;
import java.util.Map;

/**
 * Prints the one line of an error the operator must fix. Under systemd it may come before logging
 * starts (a bad setting), so it is made visible where docs/operations.md sends the operator: on a
 * journal stderr it carries priority 3 ({@code <3>}, so {@code journalctl -p warning} shows it), and
 * under {@code Type=notify} it becomes the unit's {@code STATUS=} (the Status line of
 * {@code systemctl status}). Stateless apart from the environment; the main thread.
 */
final class ErrorLine {
  private final Map<String, String> env;

  ErrorLine(Map<String, String> env) {
    this.env = env;
  }

  /** Whether stderr is the journal (a unit's stream). */
  boolean stderrIsJournal() {
    return JournalStream.isStderrJournal(env);
  }

  void print(PrintWriter err, String line) {
    err.println((stderrIsJournal() ? "<3>" : "") + line);
    err.flush();
    String socket = env.get("NOTIFY_SOCKET");
    if (socket != null && !socket.isBlank()) {
      try (Notifier notifier = Notifier.fromEnvironment(env)) {
        notifier.status(line);
      } catch (RuntimeException e) {
        // The line above is what matters; a status that cannot be sent changes nothing.
      }
    }
  }
}
