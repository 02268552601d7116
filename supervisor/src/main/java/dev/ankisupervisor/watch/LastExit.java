package dev.ankisupervisor.watch;

import dev.ankisupervisor.model.ExitReason;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How Anki's last process ended, for the status file's {@code anki.lastExit}.
 *
 * @param at when the exit was seen
 * @param exitCode the exit status when it exited by itself, empty when killed by a signal
 * @param signal the signal's name (e.g. {@code SIGABRT}) when killed by one
 * @param reason why it ended
 */
public record LastExit(Instant at, OptionalInt exitCode, Optional<String> signal, ExitReason reason) {
  public LastExit {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(exitCode, "exitCode");
    Objects.requireNonNull(signal, "signal");
    Objects.requireNonNull(reason, "reason");
  }

  /** One line for the log: {@code crashed (SIGABRT)} or {@code exited (code 3)}. */
  public String describe() {
    return reason.statusName() + signal.map(s -> " (" + s + ")")
        .orElse(exitCode.isPresent() ? " (code " + exitCode.getAsInt() + ")" : "");
  }
}
