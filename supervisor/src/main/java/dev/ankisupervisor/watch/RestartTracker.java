package dev.ankisupervisor.watch;

import dev.ankisupervisor.model.HumanDuration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Counts Anki's failures for the {@link RestartPolicy}: failures in a row and whether the first of
 * them was the crash of a ready Anki (for the delay), their
 * times within the window (for the crash-loop limit), and when Anki last became ready (a long
 * enough healthy spell starts the count over).
 *
 * <p>Threading: owned by the supervisor thread; times are monotonic nanos handed in.
 */
final class RestartTracker {
  private final RestartPolicy policy;
  /** Failures in a row. */
  private int consecutiveFailures;
  /** When recent failures happened, oldest first. */
  private List<Long> failureTimes = List.of();
  /** Whether the current run of failures began with the crash of a ready Anki (relaunched at once). */
  private boolean streakBeganReady;
  /** When Anki last became ready. */
  private long readyAtNanos;

  RestartTracker(RestartPolicy policy) {
    this.policy = policy;
  }

  void markReady(long nowNanos) {
    readyAtNanos = nowNanos;
  }

  /**
   * Records a failure at {@code nowNanos}.
   *
   * @param wasReady whether Anki was ready when it failed (its healthy time may reset the count)
   * @return the delay before the next launch, or empty when this failure makes a crash loop
   */
  Optional<Duration> recordFailure(long nowNanos, boolean wasReady) {
    if (wasReady && policy.isHealthyLongEnough(Duration.ofNanos(nowNanos - readyAtNanos))) {
      consecutiveFailures = 0;
      failureTimes = List.of();
    }
    consecutiveFailures++;
    if (consecutiveFailures == 1) {
      streakBeganReady = wasReady;
    }
    List<Long> recent = new ArrayList<>(policy.recentOnly(failureTimes, nowNanos));
    recent.add(nowNanos);
    failureTimes = List.copyOf(recent);
    if (policy.isCrashLoop(failureTimes, nowNanos)) {
      return Optional.empty();
    }
    return Optional.of(policy.delayAfter(consecutiveFailures, streakBeganReady));
  }

  /** The crash loop that {@code last}, the failure that made it, ends in (exit 69); names a known cause if any. */
  CrashLoopException crashLoop(LastExit last, Optional<String> knownCause) {
    return new CrashLoopException("Anki failed " + failureTimes.size() + " times within "
        + HumanDuration.of(policy.settings().window()) + " (last: " + last.describe() + "), more than --max-restarts "
        + policy.settings().maxRestarts() + "; giving up so that systemd's own restart limits apply; "
        + knownCause.orElse("fix the cause shown in Anki's log lines above, or raise --max-restarts/--restart-window"));
  }

  /** Failures within the window, the latest included. */
  int recentFailures() {
    return failureTimes.size();
  }
}
