package dev.ankisupervisor.sync;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one thread a {@link SyncLoop} runs on, and its timer. Production uses {@link #newThread()};
 * tests hand in a fake that runs tasks when the test advances time. Implementations run tasks one
 * at a time, in delay order.
 */
public interface SyncScheduler {
  /** Runs {@code task} after {@code delay} on the loop's thread. */
  Scheduled schedule(Runnable task, Duration delay);

  /** Stops taking tasks; a running task finishes. */
  void shutdown();

  /** A scheduled task. */
  interface Scheduled {
    /** Cancels the task if it has not started; harmless otherwise. */
    void cancel();
  }

  /** A single daemon thread named {@code sync}. */
  static SyncScheduler newThread() {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "sync");
      t.setDaemon(true);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
    return new SyncScheduler() {
      private final ScheduledExecutorService ex = executor;

      @Override
      public Scheduled schedule(Runnable task, Duration delay) {
        ScheduledFuture<?> f = ex.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
      }

      @Override
      public void shutdown() {
        ex.shutdown();
      }
    };
  }
}
