package dev.ankisupervisor.status;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Keeps the latest status document and rewrites the status file (and the metrics file) on every
 * change (issue 4, point 8). The supervisor calls it from its state listener, the watchdog after a
 * probe, and the sync loop's consumer after each snapshot.
 *
 * <p>Threading: every method may be called from any thread. Changes are serialised by one small
 * {@code synchronized} method ({@link #update}); the file is written inside it, so documents reach
 * the disk in the order they were made (a write takes milliseconds: temp file, fsync, rename).
 * {@link #current} never locks.
 */
public final class StatusPublisher {
  private final StatusWriter writer;
  private final Optional<MetricsWriter> metrics;
  private final Clock clock;
  /** The latest document; replaced under the lock, read without it. */
  private volatile StatusDocument current;

  public StatusPublisher(StatusDocument initial, StatusWriter writer, Optional<MetricsWriter> metrics, Clock clock) {
    this.current = Objects.requireNonNull(initial, "initial");
    this.writer = Objects.requireNonNull(writer, "writer");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Writes the current document as it is (the first write at start). */
  public boolean publish() {
    return update(UnaryOperator.identity());
  }

  /**
   * Applies {@code change}, stamps {@code updatedAt} and writes the files.
   *
   * @return whether the status file was written (a failure is logged by the writer; the previous
   *     file stays, and the next change tries again)
   */
  public synchronized boolean update(UnaryOperator<StatusDocument> change) {
    StatusDocument next = change.apply(current).withUpdatedAt(clock.instant());
    current = next;
    boolean ok = writer.write(next);
    metrics.ifPresent(m -> m.write(next));
    return ok;
  }

  public StatusDocument current() {
    return current;
  }
}
