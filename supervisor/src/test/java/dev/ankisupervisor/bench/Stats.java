package dev.ankisupervisor.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Samples of one figure (in milliseconds or any unit) with their median and max.
 *
 * <p>Threading: not thread-safe; one owner.
 */
public final class Stats {
  private final List<Double> values = new ArrayList<>();

  public void add(double v) {
    values.add(v);
  }

  public int count() {
    return values.size();
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  /** The median (mean of the middle two for an even count); NaN when empty. */
  public double median() {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> s = new ArrayList<>(values);
    Collections.sort(s);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  public double max() {
    return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }

  /** "[812, 790, 1034]" with no decimals. */
  @Override
  public String toString() {
    return values.stream().map(v -> String.format(Locale.ROOT, "%.0f", v)).collect(Collectors.joining(", ", "[", "]"));
  }
}
