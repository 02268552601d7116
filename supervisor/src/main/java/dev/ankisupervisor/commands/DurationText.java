package dev.ankisupervisor.commands;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A duration setting's text: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d}, or a
 * plain number of seconds ({@code 90}), or ISO-8601 ({@code PT2M}). Read the same way from flags,
 * environment and config file, by picocli ({@link DurationConverter}) and by {@code run}'s quick
 * parse ({@link QuickRun}). At most {@link #MAX} (365 days): longer is a typo, and every sum, product
 * and millisecond count the supervisor and the status file make of a duration then stays far from
 * overflow. No picocli type here: {@code run}'s quick parse must not load picocli.
 *
 * <p>Threading: stateless; any thread.
 */
final class DurationText {
  /** The longest duration any option takes. */
  static final Duration MAX = Duration.ofDays(365);

  private static final Pattern FORM = Pattern.compile("(\\d+)(ms|s|m|min|h|d)?");

  private DurationText() {}

  /**
   * The duration {@code value} stands for.
   *
   * @throws IllegalArgumentException naming the value and the rule, when it is no duration or outside 0-365d
   */
  static Duration parse(String value) {
    Duration d = parseUnchecked(value);
    if (d.isNegative() || d.compareTo(MAX) > 0) {
      throw new IllegalArgumentException("'" + value + "' is outside 0 to 365d, the range of every duration"
          + " setting; give a shorter duration such as 30s or 7d");
    }
    return d;
  }

  private static Duration parseUnchecked(String value) {
    Matcher m = FORM.matcher(value.strip());
    if (!m.matches() && value.strip().startsWith("PT")) {
      try {
        return Duration.parse(value.strip());
      } catch (RuntimeException e) {
        // falls through to the one-line error below
      }
    }
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + value
          + "' is not a duration; write a whole number with a unit, e.g. 500ms, 30s, 5m, 1h, or plain seconds");
    }
    long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      return MAX.plusDays(1); // more digits than a long holds: refused as over the maximum
    }
    String unit = m.group(2) == null ? "s" : m.group(2);
    try {
      return switch (unit) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m", "min" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    } catch (ArithmeticException e) {
      return MAX.plusDays(1);
    }
  }

  /** The inverse of {@link #parse}: the shortest form in the largest whole unit ({@code 5m}, {@code 90s}, {@code 500ms}). */
  static String format(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) {
      return "0s";
    }
    record Unit(String name, long ms) {}
    for (Unit u : new Unit[] {new Unit("d", 86_400_000L), new Unit("h", 3_600_000L), new Unit("m", 60_000L), new Unit("s", 1000L)}) {
      if (ms % u.ms() == 0) {
        return ms / u.ms() + u.name();
      }
    }
    return ms + "ms";
  }
}
