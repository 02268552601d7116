package dev.ankisupervisor.os;

import java.util.Map;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/**
 * The signals we send, their names, and the one place that sends them ({@code kill(2)} through
 * jnr-posix). Callers check the target's identity (pid + start time) first: this class does not.
 *
 * <p>Stateless; any thread.
 */
public final class Signals {
  public static final int SIGTERM = 15;
  public static final int SIGKILL = 9;
  /** {@code sync-now}'s request for one sync; its default action kills a JVM without a handler. */
  public static final int SIGUSR1 = 10;

  private static final Map<Integer, String> NAMES = Map.ofEntries(Map.entry(1, "SIGHUP"), Map.entry(2, "SIGINT"),
      Map.entry(3, "SIGQUIT"), Map.entry(4, "SIGILL"), Map.entry(5, "SIGTRAP"), Map.entry(6, "SIGABRT"),
      Map.entry(7, "SIGBUS"), Map.entry(8, "SIGFPE"), Map.entry(9, "SIGKILL"), Map.entry(10, "SIGUSR1"),
      Map.entry(11, "SIGSEGV"), Map.entry(12, "SIGUSR2"), Map.entry(13, "SIGPIPE"), Map.entry(14, "SIGALRM"),
      Map.entry(15, "SIGTERM"));
  /** jnr-posix, loaded at the first signal only: its start (a native library, generated classes) is costly. */
  private static final class Posix {
    static final POSIX CALLS = POSIXFactory.getNativePOSIX();
  }

  private Signals() {}

  /** The signal's name ({@code SIGABRT}, or {@code SIG34} for one without a name here). */
  public static String name(int signal) {
    return NAMES.getOrDefault(signal, "SIG" + signal);
  }

  /**
   * Loads jnr-posix now, so that a later signal does not stall its caller: the supervisor thread also
   * pings systemd's watchdog, and loading takes seconds on a busy machine.
   */
  public static void preload() {
    Posix.CALLS.getpid();
  }

  /** Sends {@code signal} to process {@code pid}. @return whether the kernel took it */
  public static boolean toProcess(long pid, int signal) {
    return Posix.CALLS.kill((int) pid, signal) == 0;
  }

  /**
   * Sends {@code signal} to {@code target} only while it is that very process (pid and start time,
   * checked just before the call).
   *
   * @return empty when sent; else why not ("gone", or the kernel's reason such as "Operation not permitted")
   */
  public static java.util.Optional<String> toProcess(ProcessIdentity target, int signal) {
    if (!target.isAlive()) {
      return java.util.Optional.of("the process is gone (or its pid now names another process)");
    }
    if (Posix.CALLS.kill((int) target.pid(), signal) == 0) {
      return java.util.Optional.empty();
    }
    int errno = Posix.CALLS.errno();
    return java.util.Optional.of(jnr.constants.platform.Errno.valueOf(errno).description() + " (errno " + errno + ")");
  }

  /** Sends {@code signal} to every process of group {@code pgid}. @return whether the kernel took it */
  public static boolean toGroup(long pgid, int signal) {
    return Posix.CALLS.kill((int) -pgid, signal) == 0;
  }
}
