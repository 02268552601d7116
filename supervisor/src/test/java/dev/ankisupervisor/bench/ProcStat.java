package dev.ankisupervisor.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import jnr.constants.platform.Signal;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/**
 * What the bench reads from /proc about one process: resident memory (VmRSS of
 * /proc/PID/status) and CPU time (utime + stime of /proc/PID/stat, in clock ticks of 1/100 s,
 * Linux's USER_HZ on every architecture the JDK runs on).
 *
 * <p>Threading: stateless; any thread.
 */
public final class ProcStat {
  /** USER_HZ: /proc's CPU times are in these ticks per second. */
  public static final int TICKS_PER_SECOND = 100;

  private static final POSIX POSIX = POSIXFactory.getNativePOSIX();

  private ProcStat() {}

  /** VmRSS in KiB, empty when the process is gone. */
  public static OptionalLong rssKib(long pid) {
    return statusKib(pid, "VmRSS:");
  }

  /** RssAnon in KiB (the private part of VmRSS: heap, malloc, relocated archives), empty when gone. */
  public static OptionalLong rssAnonKib(long pid) {
    return statusKib(pid, "RssAnon:");
  }

  private static OptionalLong statusKib(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith(field)) {
          return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
        }
      }
    } catch (IOException e) {
      // gone
    }
    return OptionalLong.empty();
  }

  /** utime + stime in ticks, empty when the process is gone. */
  public static OptionalLong cpuTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // After "pid (comm) ": state is field 3, so utime (14) and stime (15) are at 11 and 12.
      return OptionalLong.of(Long.parseLong(f[11]) + Long.parseLong(f[12]));
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  /** The process's command line, arguments joined by spaces ("" when gone). */
  public static String cmdline(long pid) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
          .replace('\0', ' ').strip();
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * Live processes (zombies excluded) other than this JVM whose command line or environment contains
   * {@code marker}: what a run left behind.
   */
  public static List<Long> mentioning(String marker) {
    List<Long> out = new ArrayList<>();
    long self = ProcessHandle.current().pid();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        long pid = Long.parseLong(p.getFileName().toString());
        if (pid == self) {
          continue;
        }
        try {
          String stat = Files.readString(p.resolve("stat"));
          if (stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z")) {
            continue;
          }
          String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
          String env = new String(Files.readAllBytes(p.resolve("environ")), StandardCharsets.UTF_8);
          if (cmd.contains(marker) || env.contains(marker)) {
            out.add(pid);
          }
        } catch (IOException | RuntimeException e) {
          // gone meanwhile, or not readable
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc", e);
    }
    return out;
  }

  /**
   * Sends {@code signal} (TERM, KILL, ABRT, STOP, CONT...) to {@code pid} with kill(2), so the
   * moment it returns is the moment of the signal (no kill(1) process start in between).
   */
  public static void signal(long pid, String signal) {
    POSIX.kill((int) pid, Signal.valueOf("SIG" + signal).intValue());
  }

  /** Sends {@code signal} to every process of the group {@code pgid} (kill(2) with -pgid). */
  public static void signalGroup(long pgid, String signal) {
    POSIX.kill((int) -pgid, Signal.valueOf("SIG" + signal).intValue());
  }
}
