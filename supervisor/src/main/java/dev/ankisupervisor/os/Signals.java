package dev.ankisupervisor.os;

import com.kenai.jffi.Function;
import com.kenai.jffi.Type;
import java.util.Map;

/**
 * The signals we send, their names, and the one place that sends them ({@code kill(2)} through
 * {@link Libc}). Callers check the target's identity (pid + start time) first: this class does not.
 *
 * <p>Stateless; any thread.
 */
public final class Signals {
  public static final int SIGINT = 2;
  public static final int SIGTERM = 15;
  public static final int SIGKILL = 9;
  /** {@code sync-now}'s request for one sync; its default action kills a JVM without a handler. */
  public static final int SIGUSR1 = 10;

  private static final Map<Integer, String> NAMES = Map.ofEntries(Map.entry(1, "SIGHUP"), Map.entry(2, "SIGINT"),
      Map.entry(3, "SIGQUIT"), Map.entry(4, "SIGILL"), Map.entry(5, "SIGTRAP"), Map.entry(6, "SIGABRT"),
      Map.entry(7, "SIGBUS"), Map.entry(8, "SIGFPE"), Map.entry(9, "SIGKILL"), Map.entry(10, "SIGUSR1"),
      Map.entry(11, "SIGSEGV"), Map.entry(12, "SIGUSR2"), Map.entry(13, "SIGPIPE"), Map.entry(14, "SIGALRM"),
      Map.entry(15, "SIGTERM"));
  /** libc's kill, bound at the first signal only (jffi's native stub is loaded then). */
  private static final class Posix {
    static final Function KILL = Libc.function("kill", Type.SINT32, Type.SINT32, Type.SINT32);

    static int kill(int pid, int signal) {
      return Libc.INVOKER.invokeIIrI(KILL, pid, signal);
    }

    static void load() {
      // KILL is bound by now: the class's initialisation did it.
    }
  }

  private Signals() {}

  /** The signal's name ({@code SIGABRT}, or {@code SIG34} for one without a name here). */
  public static String name(int signal) {
    return NAMES.getOrDefault(signal, "SIG" + signal);
  }

  /**
   * Binds kill(2) now, so that a later signal does not stall its caller: the supervisor thread also
   * pings systemd's watchdog, and loading a native library can take a while on a busy machine.
   */
  public static void preload() {
    Posix.load();
  }

  /** Sends {@code signal} to process {@code pid}. @return whether the kernel took it */
  public static boolean toProcess(long pid, int signal) {
    return Posix.kill((int) pid, signal) == 0;
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
    if (Posix.kill((int) target.pid(), signal) == 0) {
      return java.util.Optional.empty();
    }
    int errno = Libc.errno();
    return java.util.Optional.of(jnr.constants.platform.Errno.valueOf(errno).description() + " (errno " + errno + ")");
  }

  /** Sends {@code signal} to every process of group {@code pgid}. @return whether the kernel took it */
  public static boolean toGroup(long pgid, int signal) {
    return Posix.kill((int) -pgid, signal) == 0;
  }
}
