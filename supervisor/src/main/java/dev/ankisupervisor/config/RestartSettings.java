package dev.ankisupervisor.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How Anki is restarted: a delay doubling from {@code initialDelay} to
 * {@code maxDelay}, reset after {@code resetAfter} healthy; more than {@code maxRestarts} within
 * {@code window} ends the run.
 */
public record RestartSettings(
    Duration initialDelay, Duration maxDelay, Duration resetAfter, int maxRestarts, Duration window) {
  public static final RestartSettings DEFAULT = new RestartSettings(
      Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofMinutes(10), 5, Duration.ofMinutes(10));

  public RestartSettings {
    Objects.requireNonNull(initialDelay, "initialDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    Objects.requireNonNull(resetAfter, "resetAfter");
    Objects.requireNonNull(window, "window");
    if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
      throw new IllegalArgumentException("restart delays must satisfy 0 <= initial <= max, found "
          + initialDelay + " and " + maxDelay);
    }
    if (maxRestarts < 0) {
      throw new IllegalArgumentException("max restarts must be >= 0, found " + maxRestarts);
    }
  }
}
