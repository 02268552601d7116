package dev.ankisupervisor.launch;

import java.time.Duration;

/**
 * The one class of this package that reads the monotonic clock and sleeps (polling /proc for a
 * process group to be gone has no event to wait on). Stateless; any thread.
 */
final class PollClock {
  static final PollClock SYSTEM = new PollClock();

  long nanos() {
    return System.nanoTime();
  }

  void sleep(Duration d) throws InterruptedException {
    Thread.sleep(Math.max(1, d.toMillis()));
  }
}
