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
 *       command (the last word of {@code anki.command()}, or a word whose file name contains the
 *       command's file name, e.g. {@code .anki-wrapped} for {@code anki}).</li>
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
    throw new UnsupportedOperationException("not implemented yet");
  }
}
