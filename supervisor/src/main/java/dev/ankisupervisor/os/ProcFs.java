package dev.ankisupervisor.os;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one reader of process facts from a proc file system root ({@code /proc}, or a folder of
 * sample files in tests): identity, state, process group, parent, group members, descendants, and
 * which pid owns a socket inode. {@link LockTable} and {@link PortTable} read the other two tables.
 *
 * <p>Stateless apart from the root; safe from any thread. Every read tolerates a process vanishing
 * mid-read (it is then simply absent).
 */
public final class ProcFs {
  /**
   * The fields of one /proc/PID/stat we use.
   *
   * @param state field 3 ({@code R}, {@code S}, {@code Z} ...)
   * @param ppid field 4
   * @param pgrp field 5
   * @param startTicks field 22: start time in clock ticks after boot
   */
  public record Stat(long pid, char state, long ppid, long pgrp, long startTicks) {
    /** Exited but not reaped (or dead): it no longer holds anything. */
    public boolean isZombie() {
      return state == 'Z' || state == 'X';
    }

    /** The process this line describes: pid and start time. */
    public ProcessIdentity identity() {
      return ProcessIdentity.recorded(pid, startTicks);
    }
  }

  /** Linux's USER_HZ, the unit of /proc/PID/stat's start time; 100 on every mainstream arch. */
  static final long CLOCK_TICKS_PER_SECOND = 100;

  /**
   * Enough of /proc/PID/stat for the fields we use (field 22 ends within about 250 bytes even with a
   * 64-byte command name; the whole line is 300-400 bytes).
   */
  static final int STAT_BUFFER_BYTES = 1024;

  private static final ProcFs SYSTEM = new ProcFs(Path.of("/proc"));

  private final Path root;

  public ProcFs(Path root) {
    this.root = root;
  }

  /** The real {@code /proc}. */
  public static ProcFs system() {
    return SYSTEM;
  }

  /** The process with this pid, or empty when it does not exist (or vanished while reading). */
  public Optional<ProcessIdentity> identity(long pid) {
    Optional<Stat> stat = stat(pid);
    if (stat.isEmpty()) {
      return Optional.empty();
    }
    long ticks = stat.get().startTicks();
    Instant started = bootTime().plusMillis(ticks * 1000 / CLOCK_TICKS_PER_SECOND);
    return Optional.of(new ProcessIdentity(pid, ticks, started, cmdline(pid)));
  }

  /**
   * How long ago the process started: {@code /proc/uptime} minus its start time (both after boot, to
   * 10 ms). Unlike {@link ProcessIdentity#startedAt()}, whose boot time has whole seconds only, this
   * is good for timing a start; empty when either file cannot be read.
   */
  public Optional<Duration> age(long pid) {
    Optional<Stat> stat = stat(pid);
    if (stat.isEmpty()) {
      return Optional.empty();
    }
    try {
      String uptime = Files.readString(root.resolve("uptime"), StandardCharsets.UTF_8).trim();
      long upMs = new BigDecimal(uptime.substring(0, uptime.indexOf(' '))).movePointRight(3).longValue();
      return Optional.of(Duration.ofMillis(upMs - stat.get().startTicks() * 1000 / CLOCK_TICKS_PER_SECOND));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The stat fields we use, or empty when the process is gone (or vanished while reading). */
  public Optional<Stat> stat(long pid) {
    byte[] buf = new byte[STAT_BUFFER_BYTES];
    int n = readInto(root.resolve(Long.toString(pid)).resolve("stat"), buf);
    return n < 0 ? Optional.empty() : Optional.ofNullable(StatLine.parse(pid, buf, n));
  }

  /** True when the process is a zombie (exited, not yet reaped): it no longer holds anything. */
  public boolean isZombie(long pid) {
    return stat(pid).map(Stat::isZombie).orElse(false);
  }

  /**
   * True while this very process exists: its pid runs with the same start time
   * ({@link ProcessIdentity#isSameProcess}) and is not a zombie (exited: it holds nothing any more).
   */
  public boolean isAlive(ProcessIdentity p) {
    return stat(p.pid()).filter(s -> !s.isZombie()).map(s -> p.isSameProcess(s.identity())).orElse(false);
  }

  /** True when a live process other than {@code p} now has {@code p}'s pid (the pid was reused). */
  public boolean isReused(ProcessIdentity p) {
    return stat(p.pid()).map(s -> !p.isSameProcess(s.identity())).orElse(false);
  }

  /** The process group id (field 5), or empty when the process is gone. */
  public Optional<Long> processGroup(long pid) {
    return stat(pid).map(Stat::pgrp);
  }

  /** The parent pid (field 4), or empty when the process is gone. */
  public Optional<Long> parent(long pid) {
    return stat(pid).map(Stat::ppid);
  }

  /** Every live (non-zombie) process now present. */
  public List<Stat> all() {
    List<Stat> out = new ArrayList<>();
    for (long pid : pids()) {
      stat(pid).filter(s -> !s.isZombie()).ifPresent(out::add);
    }
    return out;
  }

  /** Pids of the live processes now in process group {@code pgid}. */
  public List<Long> groupMembers(long pgid) {
    return liveOf(groupOf(pgid));
  }

  /** Every process now in process group {@code pgid}, zombies included: one look at each /proc/PID/stat. */
  public List<Stat> groupOf(long pgid) {
    List<Stat> out = new ArrayList<>();
    for (long pid : pids()) {
      stat(pid).filter(s -> s.pgrp() == pgid).ifPresent(out::add);
    }
    return out;
  }

  /** The pids of the live (non-zombie) processes among {@code stats}. */
  public static List<Long> liveOf(List<Stat> stats) {
    return stats.stream().filter(s -> !s.isZombie()).map(Stat::pid).toList();
  }

  /** Live descendants of {@code pid} (by parent links), {@code pid} itself excluded. */
  public List<Stat> descendants(long pid) {
    Map<Long, List<Stat>> byParent = all().stream().collect(Collectors.groupingBy(Stat::ppid));
    List<Stat> out = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    List<Long> todo = new ArrayList<>(List.of(pid));
    while (!todo.isEmpty()) {
      long parent = todo.remove(todo.size() - 1);
      for (Stat child : byParent.getOrDefault(parent, List.of())) {
        if (seen.add(child.pid())) {
          out.add(child);
          todo.add(child.pid());
        }
      }
    }
    return out;
  }

  /** Every pid now present. */
  public List<Long> pids() {
    List<Long> pids = new ArrayList<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(root)) {
      for (Path p : dir) {
        long pid = StatLine.number(p.getFileName().toString());
        if (pid > 0) {
          pids.add(pid);
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot list " + root, e);
    }
    return pids;
  }

  /** For each socket inode wanted, the pid of a process holding it open (via /proc/PID/fd links). */
  public Map<Long, Long> socketOwners(Set<Long> inodes) {
    Map<Long, Long> owners = new HashMap<>();
    if (inodes.isEmpty()) {
      return owners;
    }
    for (long pid : pids()) {
      try (DirectoryStream<Path> fds = Files.newDirectoryStream(root.resolve(Long.toString(pid)).resolve("fd"))) {
        for (Path fd : fds) {
          String target;
          try {
            target = Files.readSymbolicLink(fd).toString();
          } catch (IOException | UnsupportedOperationException e) {
            continue; // fd closed while we looked
          }
          if (target.startsWith("socket:[") && target.endsWith("]")) {
            long inode = Long.parseLong(target.substring(8, target.length() - 1));
            if (inodes.contains(inode)) {
              owners.putIfAbsent(inode, pid);
            }
          }
        }
      } catch (IOException e) {
        // the process exited, or we may not look into it: skip it
      }
    }
    return owners;
  }

  /**
   * Reads the start of a small file into {@code buf}: the number of bytes read, or -1 when it cannot
   * be read (the process is gone). One open, one or two reads, no decoding: a look at a process
   * group reads this for every process on the machine.
   */
  private static int readInto(Path file, byte[] buf) {
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(buf, 0, buf.length);
    } catch (IOException e) {
      return -1;
    }
  }

  private List<String> cmdline(long pid) {
    try {
      byte[] raw = Files.readAllBytes(root.resolve(Long.toString(pid)).resolve("cmdline"));
      List<String> args = new ArrayList<>();
      int start = 0;
      for (int i = 0; i < raw.length; i++) {
        if (raw[i] == 0) {
          args.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
          start = i + 1;
        }
      }
      if (start < raw.length) {
        args.add(new String(raw, start, raw.length - start, StandardCharsets.UTF_8));
      }
      return args;
    } catch (IOException e) {
      return List.of();
    }
  }

  private Instant bootTime() {
    try {
      for (String line : Files.readAllLines(root.resolve("stat"), StandardCharsets.UTF_8)) {
        if (line.startsWith("btime ")) {
          return Instant.ofEpochSecond(Long.parseLong(line.substring(6).trim()));
        }
      }
    } catch (IOException e) {
      // fall through: times in messages become relative to the epoch, identity is unaffected
    }
    return Instant.EPOCH;
  }
}
