package dev.ankisupervisor.os;

import java.time.Duration;

/**
 * The ticker/sleeper seam: a monotonic clock for durations and a sleep for the waiting loops
 * (bind-address wait, stopping a stale process, a process group vanishing, retry pauses). Tests
 * pass a fake that advances its clock when asked to sleep, so backoff loops run instantly;
 * production uses {@link #system()}, the one class that reads {@code System.nanoTime} and calls
 * {@code Thread.sleep}.
 *
 * <p>Implementations must be safe to call from any thread.
 */
public interface Sleeper {
  /** Monotonic nanoseconds (only differences mean anything). */
  long nanos();

  /** Sleeps this long (or returns at once for a fake); restores nothing, throws on interrupt. */
  void sleep(Duration duration) throws InterruptedException;

  /** The real clock and {@code Thread.sleep}. */
  static Sleeper system() {
    return SystemSleeper.INSTANCE;
  }
}
