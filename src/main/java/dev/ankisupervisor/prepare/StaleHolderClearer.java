package dev.ankisupervisor.prepare;

import dev.ankisupervisor.config.AnkiSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clears what a previous run left behind before a launch (issue 3 step 6, C7): the holder of the
 * collection's lock (from /proc/locks, never by taking the lock), the holder of AnkiConnect's port
 * (from /proc/net/tcp*), and the pidfile's process (pid AND start time).
 *
 * <p>Rules, each decision logged:
 * <ul>
 *   <li>A holder is <b>ours</b> when it is the pidfile's process (same pid and start time), or its
 *       command line passes {@code -b <base>} for this very base and names the configured Anki
 *       command: among the words before {@code -b}, the last word of {@code anki.command()}, or a
 *       word whose file name contains the command's file name (e.g. {@code .anki-wrapped} for
 *       {@code anki}, {@code python3} for {@code python3}).</li>
 *   <li>Ours: SIGTERM, wait up to {@code stopTimeout}, then SIGKILL its process group (only when it
 *       leads its own group, so we never signal our own group), then wait for it to be gone.</li>
 *   <li>Anything else: nothing is signalled and {@link ForeignHolderException} (CONFIG, exit 78)
 *       names its pid, command line and start time.</li>
 * </ul>
 * Afterwards the pidfile is deleted (the caller writes a new one after the next launch).
 *
 * <p>Blocking; call from the supervisor's thread only, while it has no Anki of its own running.
 */
public final class StaleHolderClearer {
  static final int SIGTERM = 15;
  static final int SIGKILL = 9;
  /** How long a SIGKILLed process may take to vanish before we give up (it is stuck in the kernel). */
  static final Duration KILL_WAIT = Duration.ofSeconds(10);

  private static final Logger LOG = LoggerFactory.getLogger(StaleHolderClearer.class);

  private final ProcFs proc;
  private final LockTable locks;
  private final PortTable ports;
  private final Sleeper sleeper;
  private final POSIX posix;

  /** The real /proc, clock and signals. */
  public StaleHolderClearer() {
    this(ProcFs.system(), LockTable.system(), PortTable.system(), Sleeper.system());
  }

  StaleHolderClearer(ProcFs proc, LockTable locks, PortTable ports, Sleeper sleeper) {
    this.proc = Objects.requireNonNull(proc, "proc");
    this.locks = Objects.requireNonNull(locks, "locks");
    this.ports = Objects.requireNonNull(ports, "ports");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.posix = POSIXFactory.getNativePOSIX();
  }

  /**
   * Stops every stale Anki of this base and refuses foreign holders.
   *
   * @param bindAddress the address AnkiConnect will bind (a listener on it or on a wildcard address
   *     with {@code port} is a holder)
   * @param port AnkiConnect's port
   * @param pidFile the supervisor's pidfile ({@code SupervisorSettings.pidFile()})
   * @param stopTimeout how long a stale Anki gets between SIGTERM and SIGKILL (C6)
   * @return who was stopped
   * @throws ForeignHolderException a process not ours holds the lock or the port (nothing was signalled)
   * @throws PrepareException IO when /proc cannot be read or a killed process will not go away
   */
  public ClearReport clear(AnkiSettings anki, InetAddress bindAddress, int port, Path pidFile, Duration stopTimeout)
      throws PrepareException, InterruptedException {
    PidFile pids = new PidFile(pidFile);
    Optional<ProcessIdentity> previous;
    try {
      previous = pids.liveProcess(proc);
    } catch (IOException e) {
      throw io("cannot read the pidfile " + pidFile, e);
    }
    previous.ifPresent(p -> LOG.info("pidfile {} names a live process: {}", pidFile, p.describe()));
    List<ProcessIdentity> stopped = new ArrayList<>();
    List<ProcessIdentity> killed = new ArrayList<>();
    // a stopped Anki's helpers may still hold the port: look again until nothing of ours is left
    for (int round = 0; round < 3; round++) {
      Map<Long, String> holders = holders(anki, bindAddress, port);
      List<ProcessIdentity> ours = new ArrayList<>();
      previous.filter(p -> stopped.stream().noneMatch(p::isSameProcess)).ifPresent(ours::add);
      for (Map.Entry<Long, String> h : holders.entrySet()) {
        Optional<ProcessIdentity> who = proc.identity(h.getKey());
        if (who.isEmpty() || proc.isZombie(h.getKey())) {
          continue; // gone since we looked
        }
        if (ours.stream().anyMatch(who.get()::isSameProcess)) {
          continue;
        }
        if (isOurs(who.get(), anki, previous)) {
          LOG.info("{} {}: an Anki of this base (ours or a previous run's); stopping it", h.getValue(), who.get().describe());
          ours.add(who.get());
        } else {
          LOG.warn("{} {}: not an Anki of {}; refusing to start", h.getValue(), who.get().describe(), anki.base());
          throw new ForeignHolderException(who.get(), h.getValue() + " " + who.get().describe() + "; "
              + (h.getValue().startsWith("port") ? "stop it or set --connect-port"
                  : "stop it (C7: Anki cannot open a locked collection) or choose another --base"));
        }
      }
      if (ours.isEmpty()) {
        break;
      }
      for (ProcessIdentity p : ours) {
        if (stop(p, stopTimeout)) {
          killed.add(p);
        }
        stopped.add(p);
      }
    }
    try {
      pids.delete();
    } catch (IOException e) {
      throw io("cannot delete the stale pidfile " + pidFile, e);
    }
    if (stopped.isEmpty()) {
      LOG.info("no stale Anki, lock or port holder for {} (port {})", anki.base(), port);
    }
    return new ClearReport(stopped, killed);
  }

  /** pid -> what it holds ("collection /x/collection.anki2 is locked by", "port 8765 on 100.64.0.1 is held by"). */
  private Map<Long, String> holders(AnkiSettings anki, InetAddress bindAddress, int port) throws PrepareException {
    Map<Long, String> holders = new LinkedHashMap<>();
    long self = ProcessHandle.current().pid();
    try {
      for (Path file : List.of(anki.collection(), anki.prefsDb())) {
        for (LockTable.Lock l : locks.holdersOf(file)) {
          if (l.pid() <= 0) {
            throw new PrepareException(PrepareException.Kind.CONFIG, file + " is locked by an open file description lock whose"
                + " owner /proc/locks does not name; Anki cannot open it (C7); find the holder with `fuser -v " + file
                + "` and stop it");
          }
          if (l.pid() != self) {
            holders.putIfAbsent(l.pid(), (file.equals(anki.collection()) ? "collection " : "") + file + " is locked by");
          }
        }
      }
      List<PortTable.Listener> listeners = ports.listenersOn(port).stream()
          .filter(l -> l.address().isAnyLocalAddress() || bindAddress.isAnyLocalAddress() || l.address().equals(bindAddress))
          .toList();
      Map<Long, Long> owners = proc.socketOwners(listeners.stream().map(PortTable.Listener::inode).collect(Collectors.toSet()));
      for (PortTable.Listener l : listeners) {
        Long pid = owners.get(l.inode());
        String what = "port " + port + " on " + AddonMeta.text(l.address()) + " is held by";
        if (pid == null) {
          throw new PrepareException(PrepareException.Kind.CONFIG, what + " a process we cannot see (another user or"
              + " namespace); AnkiConnect cannot bind it (A3); stop it (`ss -ltnp sport = :" + port + "`) or set --connect-port");
        }
        if (pid != self) {
          holders.putIfAbsent(pid, what);
        }
      }
    } catch (IOException e) {
      throw io("cannot read /proc to find stale holders", e);
    }
    return holders;
  }

  /** The rule in the class comment. */
  static boolean isOurs(ProcessIdentity p, AnkiSettings anki, Optional<ProcessIdentity> previous) {
    if (previous.isPresent() && previous.get().isSameProcess(p)) {
      return true;
    }
    List<String> argv = p.cmdline();
    boolean baseMatches = false;
    int baseAt = argv.size();
    for (int i = 0; i < argv.size(); i++) {
      String a = argv.get(i);
      String value = null;
      if ((a.equals("-b") || a.equals("--base")) && i + 1 < argv.size()) {
        value = argv.get(i + 1);
      } else if (a.startsWith("--base=")) {
        value = a.substring(7);
      }
      if (value != null && samePath(value, anki.base())) {
        baseMatches = true;
        baseAt = Math.min(baseAt, i);
      }
    }
    if (!baseMatches) {
      return false;
    }
    List<String> command = anki.command();
    String last = command.get(command.size() - 1);
    String name = Path.of(command.get(0)).getFileName().toString();
    // only the words before -b name the program (the base path itself may well end in "anki")
    List<String> program = argv.subList(0, baseAt);
    return program.contains(last) || program.stream().anyMatch(a -> !a.startsWith("-") && fileName(a).contains(name));
  }

  /** SIGTERM, wait, SIGKILL the group. @return true when SIGKILL was needed */
  private boolean stop(ProcessIdentity p, Duration stopTimeout) throws PrepareException, InterruptedException {
    if (!isSame(p)) {
      return false;
    }
    posix.kill((int) p.pid(), SIGTERM);
    if (awaitGone(p, stopTimeout)) {
      LOG.info("{} exited after SIGTERM", p.describe());
      killGroupLeftovers(p);
      return false;
    }
    LOG.warn("{} still runs {} after SIGTERM (C6: SIGTERM does nothing while no collection is open); sending SIGKILL",
        p.describe(), stopTimeout);
    boolean leadsGroup = proc.processGroup(p.pid()).map(g -> g == p.pid()).orElse(false) && !ownGroup(p.pid());
    if (isSame(p)) {
      posix.kill((int) (leadsGroup ? -p.pid() : p.pid()), SIGKILL);
    }
    if (!awaitGone(p, KILL_WAIT)) {
      throw new PrepareException(PrepareException.Kind.IO, p.describe() + " did not exit within " + KILL_WAIT
          + " of SIGKILL (stuck in the kernel?); it still holds Anki's files; reboot or investigate with `cat /proc/" + p.pid() + "/stack`");
    }
    killGroupLeftovers(p);
    return true;
  }

  /** Helpers of a stale Anki (QtWebEngine) that outlived it in its own process group. */
  private void killGroupLeftovers(ProcessIdentity leader) throws InterruptedException {
    if (ownGroup(leader.pid())) {
      return;
    }
    List<Long> left = proc.pids().stream().filter(pid -> proc.processGroup(pid).map(g -> g == leader.pid()).orElse(false)
        && !proc.isZombie(pid)).toList();
    if (!left.isEmpty()) {
      LOG.info("killing {} left in the process group of {}", left, leader.describe());
      posix.kill((int) -leader.pid(), SIGKILL);
      long deadline = sleeper.nanos() + KILL_WAIT.toNanos();
      while (sleeper.nanos() < deadline && proc.pids().stream().anyMatch(pid ->
          proc.processGroup(pid).map(g -> g == leader.pid()).orElse(false) && !proc.isZombie(pid))) {
        sleeper.sleep(Duration.ofMillis(50));
      }
    }
  }

  private boolean awaitGone(ProcessIdentity p, Duration timeout) throws InterruptedException {
    long deadline = sleeper.nanos() + timeout.toNanos();
    Duration pause = Duration.ofMillis(20);
    while (isSame(p)) {
      if (sleeper.nanos() >= deadline) {
        return false;
      }
      sleeper.sleep(pause);
      pause = pause.multipliedBy(2).compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : pause.multipliedBy(2);
    }
    return true;
  }

  /** Still the same, live (non-zombie) process. */
  private boolean isSame(ProcessIdentity p) {
    return proc.identity(p.pid()).map(p::isSameProcess).orElse(false) && !proc.isZombie(p.pid());
  }

  private boolean ownGroup(long pgid) {
    return proc.processGroup(ProcessHandle.current().pid()).map(g -> g == pgid).orElse(false);
  }

  private static boolean samePath(String value, Path base) {
    try {
      return Path.of(value).toAbsolutePath().normalize().equals(base.toAbsolutePath().normalize());
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static String fileName(String arg) {
    int slash = arg.lastIndexOf('/');
    return slash >= 0 ? arg.substring(slash + 1) : arg;
  }

  private static PrepareException io(String what, IOException e) {
    return new PrepareException(PrepareException.Kind.IO, what + " (" + e.getMessage() + "); is /proc mounted and readable?", e);
  }
}
