package dev.ankisupervisor.check;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one check run needs besides the AnkiConnect client. Checked when built; immutable.
 *
 * @param configPrefixes the add-on's {@code configApi.allowedKeyPrefixes} as far as known; the first
 *     is used for steps b, c and e, all of them to pick a key outside the prefixes for step d; empty
 *     skips steps b to e
 * @param maxValueBytes the add-on's {@code configApi.maxValueBytes}; step e sends one byte more
 * @param statusFile the supervisor's status file (step g)
 * @param callTimeout the timeout of each AnkiConnect call (A3: one slow action blocks all others)
 */
public record CheckOptions(
    List<String> configPrefixes,
    int maxValueBytes,
    Path statusFile,
    Duration callTimeout) {
  /** P1's default {@code maxValueBytes}. */
  public static final int DEFAULT_MAX_VALUE_BYTES = 65536;

  public CheckOptions {
    configPrefixes = List.copyOf(configPrefixes);
    Objects.requireNonNull(statusFile, "statusFile");
    Objects.requireNonNull(callTimeout, "callTimeout");
    if (configPrefixes.stream().anyMatch(String::isEmpty)) {
      throw new IllegalArgumentException("config prefix must not be empty: it allows every key, so step d could not pick a key outside the prefixes; pass --config-prefix P with a real prefix");
    }
    if (maxValueBytes < 1) {
      throw new IllegalArgumentException("configApi maxValueBytes must be >= 1, found " + maxValueBytes
          + "; pass --config-max-bytes N");
    }
    if (callTimeout.isNegative() || callTimeout.isZero()) {
      throw new IllegalArgumentException("call timeout must be > 0, found " + callTimeout + "; pass --timeout like 30s");
    }
  }

  /** The prefix steps b, c and e write under, if any is known. */
  public Optional<String> firstPrefix() {
    return configPrefixes.stream().findFirst();
  }
}
