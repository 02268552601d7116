package dev.ankisupervisor.os;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One process, identified by pid AND start time, so a recycled pid is never mistaken for the
 * process we meant (the JDK's ProcessHandleImpl does the same). This is the one place where two
 * processes are compared ({@link #isSameProcess}, which {@link #equals} is) and where "still alive"
 * is decided ({@link #isAlive}: same pid, same start time, not a zombie). Every pidfile, the status
 * file and every signal go through it.
 *
 * <p>Read live with {@link #of(long)} from {@code /proc/PID/stat} (field 22, clock ticks since boot)
 * and {@code /proc/PID/cmdline}; or made from what a file recorded with {@link #recorded}, which knows
 * the pid and the start time only.
 *
 * <p>Immutable value.
 *
 * @param pid the process id
 * @param startTicks field 22 of /proc/PID/stat: start time in clock ticks after boot (-1: unknown,
 *     the process was gone before it could be read; such an identity is never alive)
 * @param startedAt the wall-clock start (boot time + ticks), for messages only ({@link Instant#EPOCH}
 *     when only recorded)
 * @param cmdline the argv ({@code /proc/PID/cmdline}); empty for kernel threads, when unreadable, or
 *     when only recorded
 */
public record ProcessIdentity(long pid, long startTicks, Instant startedAt, List<String> cmdline) {
  private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

  public ProcessIdentity {
    if (pid < 1) {
      throw new IllegalArgumentException("pid must be >= 1, found " + pid);
    }
    Objects.requireNonNull(startedAt, "startedAt");
    cmdline = List.copyOf(cmdline);
  }

  /** What a file recorded about a process (pidfile, status file): pid and start time, nothing else. */
  public static ProcessIdentity recorded(long pid, long startTicks) {
    return new ProcessIdentity(pid, startTicks, Instant.EPOCH, List.of());
  }

  /** The live process with this pid, or empty when none runs. */
  public static Optional<ProcessIdentity> of(long pid) {
    return ProcFs.system().identity(pid);
  }

  /** This JVM's own process. */
  public static ProcessIdentity current() {
    long pid = ProcessHandle.current().pid();
    return of(pid).orElseGet(() -> recorded(pid, -1));
  }

  /**
   * True when {@code other} is this very process: same pid and same start time. The one comparison
   * of process identities; what else is known (command line, wall-clock start) does not count.
   */
  public boolean isSameProcess(ProcessIdentity other) {
    return other != null && pid == other.pid && startTicks == other.startTicks && startTicks >= 0;
  }

  /** True while this very process (pid and start time) still exists (a zombie counts as gone). */
  public boolean isAlive() {
    return ProcFs.system().isAlive(this);
  }

  /**
   * Equal when {@link #isSameProcess} (as the JDK's ProcessHandle, a pid alone is no identity); an
   * identity whose start time is unknown equals only itself.
   */
  @Override
  public boolean equals(Object o) {
    return this == o || (o instanceof ProcessIdentity p && isSameProcess(p));
  }

  @Override
  public int hashCode() {
    return Long.hashCode(pid) * 31 + Long.hashCode(startTicks);
  }

  /** "pid 4242 (python3 -m http.server, started 09:12 UTC)", for log lines and errors. */
  public String describe() {
    if (cmdline.isEmpty() && startedAt.equals(Instant.EPOCH)) {
      return "pid " + pid;
    }
    // one line: a script passed with -c may hold newlines
    String cmd = cmdline.isEmpty() ? "?" : String.join(" ", cmdline).replaceAll("\\s+", " ");
    if (cmd.length() > 160) {
      cmd = cmd.substring(0, 157) + "...";
    }
    return "pid " + pid + " (" + cmd + ", started " + HH_MM.format(startedAt) + " UTC)";
  }
}
