package dev.ankisupervisor.os;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;

/**
 * One process, identified by pid AND start time, so a recycled pid is never mistaken for the
 * process we meant (the JDK's ProcessHandleImpl does the same). Read with
 * {@link #of(long)} from {@code /proc/PID/stat} (field 22, clock ticks since boot) and
 * {@code /proc/PID/cmdline}.
 *
 * <p>Immutable value.
 *
 * @param pid the process id
 * @param startTicks field 22 of /proc/PID/stat: start time in clock ticks after boot
 * @param startedAt the wall-clock start (boot time + ticks), for messages only
 * @param cmdline the argv ({@code /proc/PID/cmdline}); empty for kernel threads or when unreadable
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

  /** The live process with this pid, or empty when none runs. */
  public static java.util.Optional<ProcessIdentity> of(long pid) {
    return ProcFs.system().identity(pid);
  }

  /** True when {@code other} is this very process: same pid and same start time. */
  public boolean isSameProcess(ProcessIdentity other) {
    return other != null && pid == other.pid && startTicks == other.startTicks;
  }

  /** True while this very process (pid and start time) still exists (a zombie counts as gone). */
  public boolean isAlive() {
    return ProcFs.system().isAlive(this);
  }

  /** "pid 4242 (python3 -m http.server, started 09:12 UTC)", for log lines and errors. */
  public String describe() {
    // one line: a script passed with -c may hold newlines
    String cmd = cmdline.isEmpty() ? "?" : String.join(" ", cmdline).replaceAll("\\s+", " ");
    if (cmd.length() > 160) {
      cmd = cmd.substring(0, 157) + "...";
    }
    return "pid " + pid + " (" + cmd + ", started " + HH_MM.format(startedAt) + " UTC)";
  }
}
