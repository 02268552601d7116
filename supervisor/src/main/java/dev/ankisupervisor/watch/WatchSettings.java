package dev.ankisupervisor.watch;

import dev.ankisupervisor.config.RestartSettings;
import dev.ankisupervisor.config.SupervisorSettings;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The supervisor's timings, all shortenable by tests.
 *
 * @param profile the supervised profile (for snapshots and messages)
 * @param restart the restart policy's settings
 * @param startTimeout launch to ready before diagnosing and restarting
 * @param stopTimeout SIGTERM to SIGKILL (C6)
 * @param networkTimeout how long to wait for the bind address
 * @param livenessInterval between {@code version} probes and address checks
 * @param livenessMisses misses in a row that mean a hang
 * @param readyPollInterval the longest wait between {@code deckNames} probes while starting (the cap of
 *     {@link ReadyPollSchedule})
 * @param probeTimeout how long one probe may take
 * @param extendInterval how often EXTEND_TIMEOUT_USEC is sent while waiting, starting or stopping
 * @param watchdogInterval how often WATCHDOG=1 is sent, when systemd asked for it
 */
public record WatchSettings(
    String profile,
    RestartSettings restart,
    Duration startTimeout,
    Duration stopTimeout,
    Duration networkTimeout,
    Duration livenessInterval,
    int livenessMisses,
    Duration readyPollInterval,
    Duration probeTimeout,
    Duration extendInterval,
    Optional<Duration> watchdogInterval) {
  public WatchSettings {
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(restart, "restart");
    for (Duration d : new Duration[] {startTimeout, stopTimeout, networkTimeout, livenessInterval,
        readyPollInterval, probeTimeout, extendInterval}) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("supervisor timings must be > 0, found " + d);
      }
    }
    Objects.requireNonNull(watchdogInterval, "watchdogInterval");
  }

  /**
   * The timings for {@code settings}: readiness polled at most 500 ms apart (or the liveness interval,
   * if shorter), far more often while the start is young ({@link ReadyPollSchedule}).
   */
  public static WatchSettings of(SupervisorSettings settings, Optional<Duration> watchdogInterval) {
    Duration liveness = settings.livenessInterval();
    Duration poll = min(Duration.ofMillis(500), liveness);
    Duration probe = max(Duration.ofSeconds(1), min(Duration.ofSeconds(10), liveness));
    return new WatchSettings(settings.anki().profile(), settings.restart(), settings.startTimeout(),
        settings.stopTimeout(), settings.networkTimeout(), liveness, settings.livenessMisses(), poll, probe,
        Duration.ofSeconds(5), watchdogInterval);
  }

  /** The EXTEND_TIMEOUT_USEC amount: comfortably more than the time to the next extension. */
  Duration extendBy() {
    return extendInterval.multipliedBy(3);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
