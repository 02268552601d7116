package dev.ankisupervisor.model;

import java.time.Duration;
import java.time.Instant;

/**
 * The one way a duration reads in messages, log lines, systemd's {@code STATUS=} and the status
 * verdicts: {@code 250ms}, {@code 45s}, {@code 4m12s}, {@code 5m}, {@code 2h3m}, {@code 1d2h}. Under a
 * second in milliseconds, else the two largest units, the rest cut off (an age to the second
 * matters, a day's odd minutes do not). The flag syntax ({@code --sync-interval 5m}) is parsed, and
 * printed back exactly, by the command line, not here. Pure; any thread.
 */
public final class HumanDuration {
  private static final long[] SECONDS = {86_400, 3_600, 60, 1};
  private static final String[] NAMES = {"d", "h", "m", "s"};

  private HumanDuration() {}

  public static String of(Duration d) {
    if (d.isNegative()) {
      return "-" + of(d.negated());
    }
    if (d.isZero()) {
      return "0s";
    }
    if (d.compareTo(Duration.ofSeconds(1)) < 0) {
      return d.toMillis() + "ms";
    }
    long s = d.toSeconds();
    for (int i = 0; i < SECONDS.length; i++) {
      if (s >= SECONDS[i]) {
        String head = s / SECONDS[i] + NAMES[i];
        long rest = i + 1 < SECONDS.length ? s % SECONDS[i] / SECONDS[i + 1] : 0;
        return rest == 0 ? head : head + rest + NAMES[i + 1];
      }
    }
    throw new AssertionError("unreachable: " + d);
  }

  /** {@code 4m12s ago}; {@code 3s in the future} when {@code then} is after {@code now} (clocks apart). */
  public static String ago(Instant then, Instant now) {
    Duration d = Duration.between(then, now);
    return d.isNegative() ? of(d.negated()) + " in the future" : of(d) + " ago";
  }
}
