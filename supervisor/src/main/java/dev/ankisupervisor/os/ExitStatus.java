package dev.ankisupervisor.os;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * How a process ended: an exit code, or the signal that killed it. The one type for a process
 * exit, from the JVM's reaper to the supervisor's {@code LastExit}.
 *
 * <p>Java reports a signalled child as exit value 128 + signal; we read values 129-192 as signals
 * (Anki is Python: it exits 0 or 1 on its own, and {@code setsid} execs it directly, so no shell
 * turns a signal into 128 + n). Immutable value.
 */
public record ExitStatus(OptionalInt exitCode, OptionalInt signal) {
  public ExitStatus {
    if (exitCode.isPresent() == signal.isPresent()) {
      throw new IllegalArgumentException("an exit status has either an exit code or a signal, found " + exitCode + " and " + signal);
    }
  }

  public static ExitStatus exited(int code) {
    return new ExitStatus(OptionalInt.of(code), OptionalInt.empty());
  }

  public static ExitStatus killedBy(int signal) {
    return new ExitStatus(OptionalInt.empty(), OptionalInt.of(signal));
  }

  /** From {@code Process.exitValue()}: 129-192 mean "killed by signal value - 128". */
  public static ExitStatus fromJavaExitValue(int value) {
    return value > 128 && value <= 128 + 64 ? killedBy(value - 128) : exited(value);
  }

  /** The signal's name ("SIGABRT", or "SIG34" for one without a name here). */
  public Optional<String> signalName() {
    return signal.isPresent() ? Optional.of(name(signal.getAsInt())) : Optional.empty();
  }

  public boolean isCleanExit() {
    return exitCode.isPresent() && exitCode.getAsInt() == 0;
  }

  public static String name(int signal) {
    return Signals.name(signal);
  }

  @Override
  public String toString() {
    return exitCode.isPresent() ? "exit " + exitCode.getAsInt() : "signal " + signal.getAsInt() + " (" + name(signal.getAsInt()) + ")";
  }
}
