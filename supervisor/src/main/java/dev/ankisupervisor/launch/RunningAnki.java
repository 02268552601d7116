package dev.ankisupervisor.launch;

import dev.ankisupervisor.os.ExitStatus;
import dev.ankisupervisor.os.ProcFs;
import dev.ankisupervisor.os.ProcessIdentity;
import dev.ankisupervisor.os.Signals;
import dev.ankisupervisor.os.Sleeper;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started child that leads its own process group (see {@link AnkiLauncher}). Identity is pid AND
 * start time: every signal to the process itself is sent only after {@link #isSameProcess()} says
 * the pid still names it. The group id equals the pid; Linux never hands out a pid still in use as
 * a process group id, so {@link #signalGroup} reaches only this tree while any member lives.
 *
 * <p>Thread-safe: all state is final; signals may be sent from any thread.
 */
public final class RunningAnki {
  private static final Logger LOG = LoggerFactory.getLogger(RunningAnki.class);

  /** The JVM's handle: exit events and reaping. */
  private final Process process;
  /** pid + start time when started (start time -1 when it had already gone: then never alive). */
  private final ProcessIdentity identity;
  /** Completes once the JVM has reaped the child. */
  private final CompletableFuture<ExitStatus> exit;
  /** Where process facts are read: the real /proc, or sample files in tests. */
  private final ProcFs proc;
  /**
   * Set once a look after the child's reap found no process at all in its group, not even a zombie.
   * Such a group is gone for good: only a member's fork or a setpgid(2) into an existing group of the
   * same session can add a process to it, and neither has anything left to start from. A later
   * number {@link #processGroup()} names another process's group, which {@link #signalGroup} never
   * signals. So the look is not made again: after a crash the exit's look is the relaunch's.
   */
  private volatile boolean groupGone;

  RunningAnki(Process process, ProcessIdentity identity) {
    this(process, identity, ProcFs.system());
  }

  RunningAnki(Process process, ProcessIdentity identity, ProcFs proc) {
    this.process = process;
    this.identity = identity;
    this.proc = proc;
    this.exit = process.onExit().thenApply(p -> ExitStatus.fromJavaExitValue(p.exitValue()));
  }

  public long pid() {
    return process.pid();
  }

  /** pid + start time, for the pidfile. */
  public ProcessIdentity identity() {
    return identity;
  }

  /** The process group id (= {@link #pid()}, setsid). */
  public long processGroup() {
    return process.pid();
  }

  /** Completes (on a JVM reaper thread) with the exit status once the child has exited; never polls. */
  public CompletableFuture<ExitStatus> onExit() {
    return exit;
  }

  /** True while the child runs and its pid still names it (same start time); false once it has exited. */
  public boolean isSameProcess() {
    return process.isAlive() && proc.isAlive(identity);
  }

  /** Sends {@code signal} to the child only. @return false when it is already gone (nothing sent). */
  public boolean signal(int signal) {
    if (!isSameProcess()) {
      return false;
    }
    LOG.info("sending {} to pid {}", Signals.name(signal), pid());
    return Signals.toProcess(identity, signal).isEmpty();
  }

  /** Sends {@code signal} to every process of the child's group. @return false when no process of it was left. */
  public boolean signalGroup(int signal) {
    // Linux reuses a pid only once no process group of that id is left; so if a process with our pid
    // but another start time exists, our group is gone and that number now names someone else's.
    if (groupGone) {
      return false;
    }
    if (proc.isReused(identity)) {
      LOG.info("not signalling process group {}: the group is gone and its number names another process now", processGroup());
      return false;
    }
    if (groupMembers().isEmpty()) {
      // The usual case after Anki died alone: nothing to signal, and no reason to load jnr-posix.
      return false;
    }
    LOG.info("sending {} to process group {}", Signals.name(signal), processGroup());
    return Signals.toGroup(processGroup(), signal);
  }

  /**
   * SIGKILLs the whole tree: the process group, then every descendant seen before the kill that
   * left the group (a helper that called setsid itself). Does not wait; see {@link #awaitGroupGone}.
   *
   * @return false when nothing was left to signal (the child gone, its group empty)
   */
  public boolean killTree() {
    // Once the child has exited its children have a new parent: none can be found through it, so
    // the relaunch after a crash skips this scan of /proc.
    List<ProcFs.Stat> descendants = process.isAlive() ? proc.descendants(pid()) : List.of();
    boolean signalled = signalGroup(Signals.SIGKILL);
    for (ProcFs.Stat d : descendants) {
      if (proc.isAlive(d.identity()) && d.pgrp() != processGroup()) {
        LOG.info("sending SIGKILL to pid {} (a descendant outside the group)", d.pid());
        signalled |= Signals.toProcess(d.identity(), Signals.SIGKILL).isEmpty();
      }
    }
    return signalled || process.isAlive();
  }

  /** Pids of live processes now in the child's group (the child itself included while it lives). */
  public List<Long> groupMembers() {
    if (groupGone) {
      return List.of();
    }
    boolean reaped = !process.isAlive(); // before the look: a child reaped during it proves nothing
    List<ProcFs.Stat> group = proc.groupOf(processGroup());
    if (reaped && group.isEmpty()) {
      groupGone = true;
    }
    return ProcFs.liveOf(group);
  }

  /**
   * Waits until no live process is left in the group and the child itself has been reaped.
   *
   * @return true when gone within {@code timeout}
   */
  public boolean awaitGroupGone(Duration timeout) throws InterruptedException {
    return awaitGroupGone(timeout, Sleeper.system());
  }

  boolean awaitGroupGone(Duration timeout, Sleeper clock) throws InterruptedException {
    long deadline = clock.nanos() + timeout.toNanos();
    Duration pause = Duration.ofMillis(20);
    while (true) {
      if (!process.isAlive() && groupMembers().isEmpty()) {
        return true;
      }
      if (clock.nanos() >= deadline) {
        LOG.warn("process group {} still has {} after {}", processGroup(), groupMembers(), timeout);
        return false;
      }
      clock.sleep(pause);
      pause = pause.multipliedBy(2).compareTo(Duration.ofMillis(500)) > 0 ? Duration.ofMillis(500) : pause.multipliedBy(2);
    }
  }

  @Override
  public String toString() {
    return "RunningAnki[pid " + pid() + ", start " + identity.startTicks() + "]";
  }
}
