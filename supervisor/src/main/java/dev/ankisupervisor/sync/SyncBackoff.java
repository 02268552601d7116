package dev.ankisupervisor.sync;

import java.time.Duration;

/**
 * When to try again after failed syncs: 30 s, 1 m, 2 m, 4 m ... capped at the
 * interval. A pure function; any thread.
 */
final class SyncBackoff {
  /** The first retry delay. */
  static final Duration FIRST = Duration.ofSeconds(30);

  private SyncBackoff() {}

  /**
   * The delay from the start of the last attempt to the next one.
   *
   * @param consecutiveFailures failures in a row, 0 after a success
   * @param interval the sync interval (> 0)
   */
  static Duration delayAfter(int consecutiveFailures, Duration interval) {
    if (consecutiveFailures <= 0) {
      return interval;
    }
    int shift = Math.min(consecutiveFailures - 1, 20); // 30 s << 20 is years: the cap applies long before
    Duration backoff = FIRST.multipliedBy(1L << shift);
    return backoff.compareTo(interval) < 0 ? backoff : interval;
  }
}
