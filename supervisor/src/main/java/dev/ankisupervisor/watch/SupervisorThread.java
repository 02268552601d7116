package dev.ankisupervisor.watch;

import dev.ankisupervisor.os.Scheduler;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The supervisor's two threads: {@code supervisor}, a single-thread scheduler that runs every task
 * touching the supervisor's state, and {@code supervisor-io}, which runs blocking work (network
 * wait, prepare, probes) and hands each result back as a task on {@code supervisor}. A task that
 * throws is reported to {@code onUnexpected} (the supervisor then FAILS) instead of vanishing. Both
 * are {@link Scheduler}s handed in, so tests run the supervisor on fake time.
 *
 * <p>Threading: {@link #submit}, {@link #after}, {@link #offload} and {@link #every} may be called
 * from any thread; after {@link #shutdown} they drop their task (logged at debug).
 */
final class SupervisorThread {
  private static final Logger LOG = LoggerFactory.getLogger(SupervisorThread.class);

  /** The {@code supervisor} thread. */
  private final Scheduler loop;
  /** The {@code supervisor-io} thread. */
  private final Scheduler io;
  /** Told of an exception thrown by a task, on the supervisor thread. */
  private final Consumer<Throwable> onUnexpected;

  SupervisorThread(Scheduler loop, Scheduler io, Consumer<Throwable> onUnexpected) {
    this.loop = loop;
    this.io = io;
    this.onUnexpected = onUnexpected;
  }

  /** Runs {@code task} on the supervisor thread, soon. */
  void submit(Runnable task) {
    after(Duration.ZERO, task);
  }

  /** Runs {@code task} on the supervisor thread after {@code delay}; cancel through the returned handle. */
  Scheduler.Scheduled after(Duration delay, Runnable task) {
    try {
      return loop.schedule(guard(task), delay);
    } catch (RejectedExecutionException e) {
      LOG.debug("supervisor already finished; dropped a task");
      return () -> {};
    }
  }

  /** Runs {@code task} on the supervisor thread every {@code period}, the first time after {@code first}. */
  void every(Duration first, Duration period, Runnable task) {
    after(first, () -> {
      task.run();
      every(period, period, task);
    });
  }

  /** Runs {@code work} on the I/O thread and hands its result (or failure) to {@code then} on the supervisor thread. */
  <T> void offload(Callable<T> work, BiConsumer<T, Throwable> then) {
    try {
      io.schedule(() -> {
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
      }, Duration.ZERO);
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
}
