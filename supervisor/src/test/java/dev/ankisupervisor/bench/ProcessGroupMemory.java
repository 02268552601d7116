package dev.ankisupervisor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The memory of a whole process group (real Anki with its QtWebEngine helpers): the sum of each
 * member's VmRSS, which counts pages shared between members once per member, and the sum of Pss
 * ({@code /proc/PID/smaps_rollup}: each shared page divided among the processes mapping it), which
 * adds up to the group's real share of RAM but moves whenever another process maps the same
 * libraries (another Anki of the same venv on the machine), and the sum of RssAnon (private
 * anonymous memory: heaps, where a leak would grow), which does not.
 *
 * <p>Threading: stateless; any thread.
 */
final class ProcessGroupMemory {
  /** One look at a group: members, RSS and PSS sums, and the leader's own RSS (KiB). */
  record Snapshot(int members, long rssKib, long pssKib, long anonKib, long leaderRssKib) {}

  private ProcessGroupMemory() {}

  /** Pids whose process group is {@code pgid} (field 5 of /proc/PID/stat), zombies excluded. */
  static List<Long> members(long pgid) {
    List<Long> out = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String stat = Files.readString(p.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          if (!f[0].equals("Z") && Long.parseLong(f[2]) == pgid) {
            out.add(Long.parseLong(p.getFileName().toString()));
          }
        } catch (IOException | RuntimeException e) {
          // gone meanwhile
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc", e);
    }
    return out;
  }

  static Snapshot of(long pgid) {
    long rss = 0;
    long pss = 0;
    long anon = 0;
    List<Long> pids = members(pgid);
    for (long pid : pids) {
      rss += ProcStat.rssKib(pid).orElse(0);
      pss += pssKib(pid);
      anon += ProcStat.rssAnonKib(pid).orElse(0);
    }
    return new Snapshot(pids.size(), rss, pss, anon, ProcStat.rssKib(pgid).orElse(0));
  }

  /** Pss of one process in KiB (0 when gone). */
  static long pssKib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
        if (line.startsWith("Pss:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone
    }
    return 0;
  }
}
