package dev.ankisupervisor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How late our supervisor saw Anki ready: its status file's {@code anki.readySince} (its own clock
 * at the moment its readiness poll got an answer) minus the moment the driver's probe, polling every
 * 10 ms, first saw {@code deckNames} answer. Negative when the supervisor saw it first.
 *
 * <p>Threading: stateless; the driver thread.
 */
final class ReadyLag {
  private static final Pattern READY_SINCE = Pattern.compile("\"readySince\"\\s*:\\s*\"([^\"]+)\"");

  private ReadyLag() {}

  /** Waits (at most 10 s) for a readySince at or after {@code seenAt} minus 1 s, and returns the lag in ms. */
  static Optional<Double> of(Path statusFile, Instant seenAt) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        Matcher m = READY_SINCE.matcher(Files.readString(statusFile));
        if (m.find()) {
          Instant since = Instant.parse(m.group(1));
          if (!since.isBefore(seenAt.minusSeconds(1))) {
            return Optional.of(Duration.between(seenAt, since).toNanos() / 1e6);
          }
        }
      } catch (IOException | RuntimeException e) {
        // not written yet, or mid-rename
      }
      Thread.sleep(5);
    }
    System.out.println("readiness lag: the status file showed no readySince near " + seenAt);
    return Optional.empty();
  }
}
