package dev.ankisupervisor.os;

import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one "SIGTERM, wait, SIGKILL" for a process that is not our child (C6): SIGTERM, wait up to
 * the stop timeout, SIGKILL (its whole process group when it leads one that is not ours), then
 * kill helpers left in that group and wait for them to go. Every signal is sent only after checking
 * that the pid still names the same process (pid + start time).
 *
 * <p>Blocking; one caller at a time. Time goes through the {@link Sleeper}, so tests run instantly.
 */
public final class GroupStopper {
  /** How long a SIGKILLed process may take to vanish before we give up (it is stuck in the kernel). */
  public static final Duration KILL_WAIT = Duration.ofSeconds(10);

  private static final Logger LOG = LoggerFactory.getLogger(GroupStopper.class);

  /** How a stop went. */
  public enum Result {
    /** It exited after SIGTERM, or was gone already. */
    TERMINATED,
    /** SIGTERM was not enough within the timeout; SIGKILL ended it. */
    KILLED,
    /** It is still there {@link #KILL_WAIT} after SIGKILL (stuck in the kernel). */
    STUCK
  }

  private final ProcFs proc;
  private final Sleeper sleeper;

  public GroupStopper(ProcFs proc, Sleeper sleeper) {
    this.proc = proc;
    this.sleeper = sleeper;
  }

  /** SIGTERM, wait up to {@code stopTimeout}, SIGKILL the group, wait for it to be gone. */
  public Result stop(ProcessIdentity p, Duration stopTimeout) throws InterruptedException {
    if (!proc.isAlive(p)) {
      return Result.TERMINATED;
    }
    Signals.toProcess(p.pid(), Signals.SIGTERM);
    if (awaitGone(p, stopTimeout)) {
      LOG.info("{} exited after SIGTERM", p.describe());
      killGroupLeftovers(p);
      return Result.TERMINATED;
    }
    LOG.warn("{} still runs {} after SIGTERM (Anki ignores SIGTERM while no collection is open); sending SIGKILL",
        p.describe(), stopTimeout);
    boolean leadsGroup = proc.processGroup(p.pid()).map(g -> g == p.pid()).orElse(false) && !ownGroup(p.pid());
    if (proc.isAlive(p)) {
      if (leadsGroup) {
        Signals.toGroup(p.pid(), Signals.SIGKILL);
      } else {
        Signals.toProcess(p.pid(), Signals.SIGKILL);
      }
    }
    if (!awaitGone(p, KILL_WAIT)) {
      return Result.STUCK;
    }
    killGroupLeftovers(p);
    return Result.KILLED;
  }

  /** Helpers (QtWebEngine) that outlived the leader in its own process group. */
  private void killGroupLeftovers(ProcessIdentity leader) throws InterruptedException {
    if (ownGroup(leader.pid())) {
      return;
    }
    List<Long> left = proc.groupMembers(leader.pid());
    if (!left.isEmpty()) {
      LOG.info("killing {} left in the process group of {}", left, leader.describe());
      Signals.toGroup(leader.pid(), Signals.SIGKILL);
      long deadline = sleeper.nanos() + KILL_WAIT.toNanos();
      while (sleeper.nanos() < deadline && !proc.groupMembers(leader.pid()).isEmpty()) {
        sleeper.sleep(Duration.ofMillis(50));
      }
    }
  }

  private boolean awaitGone(ProcessIdentity p, Duration timeout) throws InterruptedException {
    long deadline = sleeper.nanos() + timeout.toNanos();
    Duration pause = Duration.ofMillis(20);
    while (proc.isAlive(p)) {
      if (sleeper.nanos() >= deadline) {
        return false;
      }
      sleeper.sleep(pause);
      pause = pause.multipliedBy(2).compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : pause.multipliedBy(2);
    }
    return true;
  }

  private boolean ownGroup(long pgid) {
    return proc.processGroup(ProcessHandle.current().pid()).map(g -> g == pgid).orElse(false);
  }
}
