package dev.ankisupervisor.watch;

import java.time.Duration;

/** A duration for log lines and systemd's STATUS=: {@code 250 ms}, {@code 30 s}, {@code 12 min}. Pure; any thread. */
final class HumanDuration {
  private HumanDuration() {}

  static String of(Duration d) {
    if (d.toMillis() < 1000) {
      return d.toMillis() + " ms";
    }
    if (d.toSeconds() < 600) {
      return d.toSeconds() + " s";
    }
    return d.toMinutes() + " min";
  }
}
