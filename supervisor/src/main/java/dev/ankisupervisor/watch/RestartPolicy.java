package dev.ankisupervisor.watch;

import dev.ankisupervisor.config.RestartSettings;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;

/**
 * When to restart Anki (backoff and the crash-loop limit), as pure functions of counts and times handed in: a
 * delay of {@code initialDelay} doubling per consecutive failure up to {@code maxDelay}, except that
 * a run of failures that begins with the crash of a ready Anki relaunches it at once and backs off
 * from the second failure on; the count resets after {@code resetAfter} healthy (ready); more than
 * {@code maxRestarts} restarts within {@code window} means a crash loop, and the supervisor gives
 * up (exit 69).
 *
 * <p>Threading: the settings are immutable; the optional jitter {@link Random} is used only from the
 * supervisor thread.
 */
public final class RestartPolicy {
  private final RestartSettings settings;
  /** Jitter source; empty for exact delays (tests, and by default). */
  private final Optional<Random> jitter;

  public RestartPolicy(RestartSettings settings, Optional<Random> jitter) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.jitter = Objects.requireNonNull(jitter, "jitter");
  }

  public RestartPolicy(RestartSettings settings) {
    this(settings, Optional.empty());
  }

  public RestartSettings settings() {
    return settings;
  }

  /**
   * The delay before the next launch after {@code consecutiveFailures} failures in a row (1 for
   * the first): initial * 2^(n-1), at most maxDelay; with jitter, between 80 % and 100 % of it, so
   * never above the ceiling. Zero failures: no delay.
   */
  public Duration delayAfter(int consecutiveFailures) {
    if (consecutiveFailures < 0) {
      throw new IllegalArgumentException("consecutive failures must be >= 0, found " + consecutiveFailures);
    }
    if (consecutiveFailures == 0) {
      return Duration.ZERO;
    }
    Duration max = settings.maxDelay();
    Duration delay = settings.initialDelay();
    for (int i = 1; i < consecutiveFailures && delay.compareTo(max) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    if (delay.compareTo(max) > 0) {
      delay = max;
    }
    if (jitter.isPresent()) {
      double factor = 0.8 + 0.2 * jitter.get().nextDouble();
      delay = Duration.ofNanos((long) (delay.toNanos() * factor));
    }
    return delay;
  }

  /**
   * The delay before the next launch after {@code consecutiveFailures} failures in a row, the first
   * of which was the crash of an Anki that had been ready ({@code beganReady}) or not. A ready Anki
   * that crashes is relaunched at once: the crash says nothing about the next start, and every
   * second without AnkiConnect is a second its callers fail. A second failure in a row then waits
   * {@code initialDelay}, and the delay doubles from there. A run that began with a failed start
   * backs off from its first failure, as {@link #delayAfter(int)} does.
   */
  public Duration delayAfter(int consecutiveFailures, boolean beganReady) {
    if (consecutiveFailures < 0) {
      throw new IllegalArgumentException("consecutive failures must be >= 0, found " + consecutiveFailures);
    }
    return delayAfter(beganReady ? Math.max(0, consecutiveFailures - 1) : consecutiveFailures);
  }

  /** Whether Anki has been ready long enough that its failure count starts over. */
  public boolean isHealthyLongEnough(Duration readyFor) {
    return readyFor.compareTo(settings.resetAfter()) >= 0;
  }

  /**
   * Whether the failures seen at {@code failureTimesNanos} (monotonic, the newest included) make a
   * crash loop at {@code nowNanos}: more than maxRestarts of them within the window.
   */
  public boolean isCrashLoop(List<Long> failureTimesNanos, long nowNanos) {
    long windowStart = nowNanos - settings.window().toNanos();
    long recent = failureTimesNanos.stream().filter(t -> t - windowStart > 0).count();
    return recent > settings.maxRestarts();
  }

  /** Drops failure times older than the window, so the list stays short. */
  public List<Long> recentOnly(List<Long> failureTimesNanos, long nowNanos) {
    long windowStart = nowNanos - settings.window().toNanos();
    return failureTimesNanos.stream().filter(t -> t - windowStart > 0).toList();
  }
}
