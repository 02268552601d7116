package dev.ankisupervisor.prepare;

import java.time.Duration;

/**
 * Time for the waiting loops of this package (bind-address wait, stale-holder stop): a monotonic
 * clock and a sleep. Tests pass a fake that advances its clock when asked to sleep, so backoff
 * loops run instantly; production uses {@link #system()}.
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
