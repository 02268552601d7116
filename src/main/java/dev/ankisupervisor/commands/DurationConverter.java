package dev.ankisupervisor.commands;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Reads a duration flag: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d}, or a plain
 * number of seconds ({@code 90}), or ISO-8601 ({@code PT2M}). Used by every duration option, from flags, environment and config
 * file alike.
 *
 * <p>Threading: stateless; any thread.
 */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  private static final Pattern FORM = Pattern.compile("(\\d+)(ms|s|m|min|h|d)?");

  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  static Duration parse(String value) {
    Matcher m = FORM.matcher(value.strip());
    if (!m.matches() && value.strip().startsWith("PT")) {
      try {
        return Duration.parse(value.strip());
      } catch (RuntimeException e) {
        // falls through to the one-line error below
      }
    }
    if (!m.matches()) {
      throw new CommandLine.TypeConversionException("'" + value
          + "' is not a duration; write a whole number with a unit, e.g. 500ms, 30s, 5m, 1h, or plain seconds");
    }
    long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw new CommandLine.TypeConversionException("'" + value + "' is too large for a duration");
    }
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m", "min" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
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
