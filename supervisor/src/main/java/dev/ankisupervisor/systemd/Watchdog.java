package dev.ankisupervisor.systemd;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Reads systemd's watchdog request ({@code WATCHDOG_USEC}, {@code WATCHDOG_PID}) and says how
 * often to send {@code WATCHDOG=1}: half the timeout, as sd_watchdog_enabled(3) advises. The pings
 * themselves must be sent from the supervisor's own loop, so a stuck loop stops them.
 *
 * <p>Threading: pure functions; call from any thread.
 */
public final class Watchdog {
  private Watchdog() {}

  /**
   * The interval between pings, or empty when systemd asked for none, or asked another process
   * ({@code WATCHDOG_PID} set and not {@code ownPid}), or the value is not a positive number.
   */
  public static Optional<Duration> pingInterval(Map<String, String> env, long ownPid) {
    String usec = env.get("WATCHDOG_USEC");
    if (usec == null || usec.isBlank()) {
      return Optional.empty();
    }
    String pid = env.get("WATCHDOG_PID");
    if (pid != null && !pid.isBlank() && !pid.strip().equals(Long.toString(ownPid))) {
      return Optional.empty();
    }
    try {
      long micros = Long.parseLong(usec.strip());
      return micros <= 0 ? Optional.empty() : Optional.of(Duration.ofNanos(micros * 1000 / 2));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
