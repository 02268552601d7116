package dev.ankisupervisor.prepare;

import dev.ankisupervisor.config.AnkiSettings;
import dev.ankisupervisor.files.PidFile;
import dev.ankisupervisor.os.GroupStopper;
import dev.ankisupervisor.os.LockTable;
import dev.ankisupervisor.os.PortTable;
import dev.ankisupervisor.os.ProcFs;
import dev.ankisupervisor.os.ProcessIdentity;
import dev.ankisupervisor.os.Sleeper;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clears what a previous run left behind before a launch (C7): the holder of the
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
  private static final Logger LOG = LoggerFactory.getLogger(StaleHolderClearer.class);
  /** How often, and how far apart, a listener without an owner is looked at again before it counts. */
  private static final int UNOWNED_LOOKS = 10;
  private static final Duration UNOWNED_PAUSE = Duration.ofMillis(50);

  private final ProcFs proc;
  private final LockTable locks;
  private final PortTable ports;
  private final GroupStopper stopper;
  private final Sleeper sleeper;

  /** The real /proc, clock and signals. */
  public StaleHolderClearer() {
    this(ProcFs.system(), LockTable.system(), PortTable.system(), Sleeper.system());
  }

  StaleHolderClearer(ProcFs proc, LockTable locks, PortTable ports, Sleeper sleeper) {
    this.proc = Objects.requireNonNull(proc, "proc");
    this.locks = Objects.requireNonNull(locks, "locks");
    this.ports = Objects.requireNonNull(ports, "ports");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.stopper = new GroupStopper(proc, sleeper);
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
    return clear(anki, bindAddress, port, pidFile, stopTimeout, Optional.empty());
  }

  /**
   * {@link #clear(AnkiSettings, InetAddress, int, Path, Duration)} whose first look at the lock holders
   * uses {@code lockTable}, a {@link #lockTable()} read moments before by the caller (while other work
   * ran), instead of reading /proc/locks again; a look after stopping someone reads it anew.
   */
  public ClearReport clear(AnkiSettings anki, InetAddress bindAddress, int port, Path pidFile, Duration stopTimeout,
      Optional<List<LockTable.Lock>> lockTable) throws PrepareException, InterruptedException {
    PidFile pids = new PidFile(pidFile);
    Optional<ProcessIdentity> previous;
    try {
      previous = pids.liveProcess(proc);
    } catch (IOException e) {
      throw stateFolder("cannot read the pidfile " + pidFile, e);
    }
    previous.ifPresent(p -> LOG.info("pidfile {} names a live process: {}", pidFile, p.describe()));
    List<ProcessIdentity> stopped = new ArrayList<>();
    List<ProcessIdentity> killed = new ArrayList<>();
    // a stopped Anki's helpers may still hold the port: look again until nothing of ours is left
    for (int round = 0; round < 3; round++) {
      Map<Long, String> holders = holders(anki, bindAddress, port, round == 0 ? lockTable.orElse(null) : null);
      List<ProcessIdentity> ours = new ArrayList<>();
      previous.filter(p -> stopped.stream().noneMatch(p::isSameProcess)).ifPresent(ours::add);
      for (Map.Entry<Long, String> h : holders.entrySet()) {
        Optional<ProcessIdentity> who = proc.identity(h.getKey());
        if (who.isEmpty() || !proc.isAlive(who.get())) {
          continue; // gone since we looked
        }
        if (ours.stream().anyMatch(who.get()::isSameProcess)) {
          continue;
        }
        if (AnkiOwnership.isOurs(who.get(), anki, previous)) {
          LOG.info("{} {}: an Anki of this base (ours or a previous run's); stopping it", h.getValue(), who.get().describe());
          ours.add(who.get());
        } else {
          LOG.warn("{} {}: not an Anki of {}; refusing to start", h.getValue(), who.get().describe(), anki.base());
          throw new ForeignHolderException(who.get(), h.getValue() + " " + who.get().describe() + "; "
              + (h.getValue().startsWith("port") ? "stop it or set --connect-port"
                  : "stop it (Anki cannot open a locked collection) or choose another --base"));
        }
      }
      if (ours.isEmpty()) {
        break;
      }
      for (ProcessIdentity p : ours) {
        GroupStopper.Result result = stopper.stop(p, stopTimeout);
        if (result == GroupStopper.Result.STUCK) {
          throw new PrepareException(PrepareException.Kind.IO, p.describe() + " did not exit within "
              + GroupStopper.KILL_WAIT + " of SIGKILL (stuck in the kernel?); it still holds Anki's files; reboot or"
              + " investigate with `cat /proc/" + p.pid() + "/stack`");
        }
        if (result == GroupStopper.Result.KILLED) {
          killed.add(p);
        }
        stopped.add(p);
      }
    }
    try {
      pids.delete();
    } catch (IOException e) {
      throw stateFolder("cannot delete the stale pidfile " + pidFile, e);
    }
    if (stopped.isEmpty()) {
      LOG.info("no stale Anki, lock or port holder for {} (port {})", anki.base(), port);
    }
    return new ClearReport(stopped, killed);
  }

  /**
   * Who holds the collection's lock or AnkiConnect's port now (pid -> what), without acting on
   * anyone. Called once Anki is first ready, off the supervisor's threads: the look runs the code a
   * relaunch after a crash runs, so that code is loaded (and kept in the launcher's class-data
   * archive) before a crash needs it.
   */
  public Map<Long, String> holdersNow(AnkiSettings anki, InetAddress bindAddress, int port)
      throws PrepareException, InterruptedException {
    return holders(anki, bindAddress, port, null);
  }

  /** Every granted lock now listed in /proc/locks, for {@link #clear}'s {@code lockTable}. */
  public List<LockTable.Lock> lockTable() throws IOException {
    return locks.read();
  }

  /**
   * pid -> what it holds ("collection /x/collection.anki2 is locked by", "port 8765 on 100.64.0.1 is held by");
   * the lock holders from {@code lockTable} when given, else from one read of /proc/locks for both files.
   */
  private Map<Long, String> holders(AnkiSettings anki, InetAddress bindAddress, int port, List<LockTable.Lock> lockTable)
      throws PrepareException, InterruptedException {
    Map<Long, String> holders = new LinkedHashMap<>();
    long self = ProcessHandle.current().pid();
    try {
      List<LockTable.Lock> table = lockTable;
      for (Path file : List.of(anki.collection(), anki.prefsDb())) {
        if (table == null && Files.exists(file)) {
          table = locks.read();
        }
        for (LockTable.Lock l : locks.holdersOf(file, table == null ? List.of() : table)) {
          if (l.pid() <= 0) {
            throw new PrepareException(PrepareException.Kind.CONFIG, file + " is locked by an open file description lock whose"
                + " owner /proc/locks does not name; Anki cannot open it; find the holder with `fuser -v " + file
                + "` and stop it");
          }
          if (l.pid() != self) {
            holders.putIfAbsent(l.pid(), (file.equals(anki.collection()) ? "collection " : "") + file + " is locked by");
          }
        }
      }
      List<PortTable.Listener> listeners;
      Map<Long, Long> owners;
      for (int look = 1; ; look++) {
        listeners = listenersOn(bindAddress, port);
        owners = proc.socketOwners(listeners.stream().map(PortTable.Listener::inode).collect(Collectors.toSet()));
        if (owners.size() == listeners.size() || look == UNOWNED_LOOKS) {
          break;
        }
        // A holder killed a moment ago closes its files before its socket leaves the table: a
        // listener without an owner is only "a process we cannot see" if it stays.
        sleeper.sleep(UNOWNED_PAUSE);
      }
      for (PortTable.Listener l : listeners) {
        Long pid = owners.get(l.inode());
        String what = "port " + port + " on " + AddonMeta.text(l.address()) + " is held by";
        if (pid == null) {
          throw new PrepareException(PrepareException.Kind.CONFIG, what + " a process we cannot see (another user or"
              + " namespace); AnkiConnect cannot bind it; stop it (`ss -ltnp sport = :" + port + "`) or set --connect-port");
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

  /** The listeners that would keep AnkiConnect from binding {@code bindAddress:port}. */
  private List<PortTable.Listener> listenersOn(InetAddress bindAddress, int port) throws IOException {
    return ports.listenersOn(port).stream()
        .filter(l -> l.address().isAnyLocalAddress() || bindAddress.isAnyLocalAddress() || l.address().equals(bindAddress))
        .toList();
  }

  private static PrepareException io(String what, IOException e) {
    return new PrepareException(PrepareException.Kind.IO, what + " (" + e.getMessage() + "); is /proc mounted and readable?", e);
  }

  /** The pidfile lives in the state folder: a failure there is about that folder, not about /proc. */
  private static PrepareException stateFolder(String what, IOException e) {
    return new PrepareException(PrepareException.Kind.IO, what + " (" + e.getMessage() + "); the state folder must be"
        + " writable by the user the supervisor runs as (a read-only mount? its owner?); fix it or set --state-dir", e);
  }
}
