package dev.ankisupervisor.prepare;

import java.time.Duration;
import java.util.List;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a stale Anki that is not our child (C6): SIGTERM, wait, SIGKILL (its whole process group
 * when it leads one that is not ours), then kills helpers left in that group. Every signal is sent
 * only after checking that the pid still names the same process (start time).
 *
 * <p>Blocking; one caller at a time ({@link StaleHolderClearer}).
 */
final class StaleProcessStopper {
  static final int SIGTERM = 15;
  static final int SIGKILL = 9;
  /** How long a SIGKILLed process may take to vanish before we give up (it is stuck in the kernel). */
  static final Duration KILL_WAIT = Duration.ofSeconds(10);

  private static final Logger LOG = LoggerFactory.getLogger(StaleProcessStopper.class);

  private final ProcFs proc;
  private final Sleeper sleeper;

  /** jnr-posix, loaded only when a stale process must be signalled (rare; its start is costly). */
  private static final class Posix {
    static final POSIX CALLS = POSIXFactory.getNativePOSIX();
  }

  StaleProcessStopper(ProcFs proc, Sleeper sleeper) {
    this.proc = proc;
    this.sleeper = sleeper;
  }

  /** SIGTERM, wait, SIGKILL the group. @return true when SIGKILL was needed */
  boolean stop(ProcessIdentity p, Duration stopTimeout) throws PrepareException, InterruptedException {
    if (!isSame(p)) {
      return false;
    }
    Posix.CALLS.kill((int) p.pid(), SIGTERM);
    if (awaitGone(p, stopTimeout)) {
      LOG.info("{} exited after SIGTERM", p.describe());
      killGroupLeftovers(p);
      return false;
    }
    LOG.warn("{} still runs {} after SIGTERM (C6: SIGTERM does nothing while no collection is open); sending SIGKILL",
        p.describe(), stopTimeout);
    boolean leadsGroup = proc.processGroup(p.pid()).map(g -> g == p.pid()).orElse(false) && !ownGroup(p.pid());
    if (isSame(p)) {
      Posix.CALLS.kill((int) (leadsGroup ? -p.pid() : p.pid()), SIGKILL);
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
      Posix.CALLS.kill((int) -leader.pid(), SIGKILL);
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

}
