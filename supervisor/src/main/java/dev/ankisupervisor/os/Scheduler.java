package dev.ankisupervisor.os;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * The scheduler seam: one thread that runs tasks one at a time, in delay order. Production uses
 * {@link #newThread(String)}, a single daemon thread; tests hand in a fake that runs tasks when the
 * test advances its time, so time-driven classes (the supervisor, the sync loop) run without sleeps.
 *
 * <p>Implementations are safe to call from any thread. After {@link #shutdown} they refuse new
 * tasks with {@link RejectedExecutionException} and drop the delayed ones.
 */
public interface Scheduler {
  /** Runs {@code task} after {@code delay} on the scheduler's thread. */
  Scheduled schedule(Runnable task, Duration delay);

  /** Stops taking tasks and drops delayed ones; a running task finishes. */
  void shutdown();

  /** As {@link #shutdown}, and interrupts a running task (blocking work that may be abandoned). */
  default void shutdownNow() {
    shutdown();
  }

  /** A scheduled task. */
  interface Scheduled {
    /** Cancels the task if it has not started; harmless otherwise. */
    void cancel();
  }

  /**
   * A single daemon thread named {@code name}. A task that throws anything (an Error included) is
   * logged at ERROR with the thread's name and the thread goes on: an executor would otherwise keep
   * the failure in a future nobody reads, and the task's work would stop without a word.
   */
  static Scheduler newThread(String name) {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    executor.setRemoveOnCancelPolicy(true);
    return new Scheduler() {
      @Override
      public Scheduled schedule(Runnable task, Duration delay) {
        Runnable guarded = () -> {
          try {
            task.run();
          } catch (RuntimeException | Error e) {
            LoggerFactory.getLogger(Scheduler.class).error("a task on thread {} failed ({}); the thread goes on", name,
                e, e);
          }
        };
        ScheduledFuture<?> f = executor.schedule(guarded, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
      }

      @Override
      public void shutdown() {
        executor.shutdown();
      }

      @Override
      public void shutdownNow() {
        executor.shutdownNow();
      }
    };
  }
}
