package dev.ankisupervisor.backup;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Stops the server's unit for a stopped copy and starts it again, once, on every path after the
 * stop was issued: the copy's end, a failed stop (it may be half done) and a SIGTERM that arrives
 * while {@code systemctl stop} still runs. The backup thread calls {@link #stop} and
 * {@link #startAgain}; the shutdown hook calls {@link #abort}. One monitor orders them: a start is
 * issued only after the stop it undoes has returned (so systemd never sees the stop last), and no
 * stop is issued once the hook has run.
 */
final class UnitPause {
  /** Where the unit is, in the order a backup moves it; {@link #DONE} is never left. */
  private enum Phase {
    /** Nothing issued. */
    UP,
    /** {@code systemctl stop} runs. */
    STOPPING,
    /** The stop returned (done or failed): a start is owed. */
    DOWN,
    /** {@code systemctl start} runs. */
    STARTING,
    /** Started again, or the backup ended before any stop. */
    DONE
  }

  private final ServiceControl services;
  private final Consumer<String> log;
  /** Guarded by this. */
  private Phase phase = Phase.UP;
  /** The unit given to {@link #stop}; guarded by this. */
  private String unit;
  private volatile String startProblem;

  UnitPause(ServiceControl services, Consumer<String> log) {
    this.services = services;
    this.log = log;
  }

  /** Stops {@code unit}; from here on it is started again whatever happens. */
  void stop(String unit) {
    synchronized (this) {
      if (phase != Phase.UP) {
        throw new CopyRun.StopFailed(new BackupException(BackupException.Kind.CONFIG, "the backup is being"
            + " stopped; " + unit + " was not stopped and nothing was copied"));
      }
      this.unit = unit;
      phase = Phase.STOPPING;
    }
    try {
      log.accept("stopping " + unit);
      services.stop(unit);
    } catch (IOException e) {
      throw new CopyRun.StopFailed(new BackupException(BackupException.Kind.CONFIG, "could not stop " + unit + ": "
          + e.getMessage() + "; check the unit name given to --stop-unit and that the backup runs as root"));
    } finally {
      moveTo(Phase.DOWN);
    }
  }

  /** Starts the unit again if a stop was issued and it was not started yet; otherwise nothing. */
  void startAgain() {
    String toStart;
    synchronized (this) {
      awaitWhile(Phase.STOPPING);
      if (phase != Phase.DOWN) {
        phase = phase == Phase.UP ? Phase.DONE : phase;
        return;
      }
      toStart = unit;
      phase = Phase.STARTING;
    }
    try {
      log.accept("starting " + toStart);
      services.start(toStart);
    } catch (IOException e) {
      startProblem = "could not start " + toStart + " again: " + e.getMessage() + "; start it by hand: systemctl start "
          + toStart;
      log.accept(startProblem);
    } finally {
      moveTo(Phase.DONE);
    }
  }

  /** From the shutdown hook: start the unit again, then wait until a start the backup thread issued has returned. */
  void abort() {
    synchronized (this) {
      if (phase == Phase.STOPPING) {
        log.accept("stopped while systemctl stop " + unit + " runs; starting " + unit + " again once it returns");
      }
    }
    startAgain();
    synchronized (this) {
      awaitWhile(Phase.STARTING);
    }
  }

  /** Why the unit could not be started again, if it could not. */
  Optional<String> startProblem() {
    return Optional.ofNullable(startProblem);
  }

  private synchronized void moveTo(Phase next) {
    phase = next;
    notifyAll();
  }

  /** Holding this: waits while the backup thread's systemctl runs (bounded by its timeout). */
  private void awaitWhile(Phase running) {
    boolean interrupted = false;
    while (phase == running) {
      try {
        wait();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
