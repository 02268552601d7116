package dev.ankisupervisor.launch;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How the child ended: an exit code, or the signal that killed it.
 *
 * <p>Java reports a signalled child as exit value 128 + signal; we read values 129-192 as signals
 * (Anki is Python: it exits 0 or 1 on its own, and {@code setsid} execs it directly, so no shell
 * turns a signal into 128 + n). Immutable value.
 */
public record ExitStatus(OptionalInt exitCode, OptionalInt signal) {
  private static final Map<Integer, String> NAMES = Map.ofEntries(Map.entry(1, "SIGHUP"), Map.entry(2, "SIGINT"),
      Map.entry(3, "SIGQUIT"), Map.entry(4, "SIGILL"), Map.entry(5, "SIGTRAP"), Map.entry(6, "SIGABRT"),
      Map.entry(7, "SIGBUS"), Map.entry(8, "SIGFPE"), Map.entry(9, "SIGKILL"), Map.entry(10, "SIGUSR1"),
      Map.entry(11, "SIGSEGV"), Map.entry(12, "SIGUSR2"), Map.entry(13, "SIGPIPE"), Map.entry(14, "SIGALRM"),
      Map.entry(15, "SIGTERM"));

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
    return NAMES.getOrDefault(signal, "SIG" + signal);
  }

  @Override
  public String toString() {
    return exitCode.isPresent() ? "exit " + exitCode.getAsInt() : "signal " + signal.getAsInt() + " (" + name(signal.getAsInt()) + ")";
  }
}
