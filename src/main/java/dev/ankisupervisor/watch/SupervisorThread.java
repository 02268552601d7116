package dev.ankisupervisor.watch;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The supervisor's two threads: {@code supervisor}, a single-thread scheduler that runs every task
 * touching the supervisor's state, and {@code supervisor-io}, which runs blocking work (network
 * wait, prepare, probes) and hands each result back as a task on {@code supervisor}. A task that
 * throws is reported to {@code onUnexpected} (the supervisor then FAILS) instead of vanishing.
 *
 * <p>Threading: {@link #submit}, {@link #after}, {@link #offload} and {@link #every} may be called
 * from any thread; after {@link #shutdown} they drop their task (logged at debug).
 */
final class SupervisorThread {
  private static final Logger LOG = LoggerFactory.getLogger(SupervisorThread.class);

  /** The {@code supervisor} thread. */
  private final ScheduledThreadPoolExecutor loop;
  /** The {@code supervisor-io} thread. */
  private final ExecutorService io;
  /** Told of an exception thrown by a task, on the supervisor thread. */
  private final Consumer<Throwable> onUnexpected;

  SupervisorThread(Consumer<Throwable> onUnexpected) {
    this.onUnexpected = onUnexpected;
    this.loop = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "supervisor"));
    loop.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    loop.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    loop.setRemoveOnCancelPolicy(true);
    this.io = Executors.newSingleThreadExecutor(r -> daemon(r, "supervisor-io"));
  }

  /** Runs {@code task} on the supervisor thread, soon. */
  void submit(Runnable task) {
    try {
      loop.execute(guard(task));
    } catch (RejectedExecutionException e) {
      LOG.debug("supervisor already finished; dropped a task");
    }
  }

  /** Runs {@code task} on the supervisor thread after {@code delay}; cancel through the returned future. */
  ScheduledFuture<?> after(Duration delay, Runnable task) {
    return loop.schedule(guard(task), delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Runs {@code task} on the supervisor thread every {@code period}, the first time after {@code first}. */
  void every(Duration first, Duration period, Runnable task) {
    loop.scheduleAtFixedRate(guard(task), first.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Runs {@code work} on the I/O thread and hands its result (or failure) to {@code then} on the supervisor thread. */
  <T> void offload(Callable<T> work, BiConsumer<T, Throwable> then) {
    try {
      io.execute(() -> {
        T value = null;
        Throwable error = null;
        try {
          value = work.call();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        } catch (Exception | Error e) {
          error = e;
        }
        T v = value;
        Throwable err = error;
        submit(() -> then.accept(v, err));
      });
    } catch (RejectedExecutionException e) {
      LOG.debug("supervisor already finished; dropped blocking work");
    }
  }

  /** Stops both threads: pending timers are dropped, blocking work is interrupted. */
  void shutdown() {
    loop.shutdown();
    io.shutdownNow();
  }

  private Runnable guard(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        onUnexpected.accept(e);
      }
    };
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
