package dev.ankisupervisor.status;

import dev.ankisupervisor.statusfile.StatusDocument;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;

/**
 * Keeps the latest status document and rewrites the status file (and the metrics file) on every
 * change. The supervisor calls it from its state listener, the watchdog after a
 * probe, and the sync loop's consumer after each snapshot.
 *
 * <p>Threading: every method may be called from any thread. Changes are serialised by one small
 * {@code synchronized} method ({@link #update}); the file is written inside it, so documents reach
 * the disk in the order they were made (a write takes milliseconds: temp file, fsync, rename).
 * {@link #updateLater} changes the document at once but leaves the write to the {@code status-writer}
 * thread, which writes whatever is newest when it gets there (under the same lock, so an older
 * document never overwrites a newer one): the supervisor's thread then never waits for a disk, nor,
 * at start, for the JSON machinery to load while Anki could already be starting. {@link #current}
 * never locks.
 */
public final class StatusPublisher {
  private final StatusWriter writer;
  private final Optional<MetricsWriter> metrics;
  private final Clock clock;
  /** The latest document; replaced under the lock, read without it. */
  private volatile StatusDocument current;
  /** Whether {@link #current} is newer than the file (an {@link #updateLater} not written yet); under the lock. */
  private boolean unwritten;
  /** The {@code status-writer} thread, made at the first {@link #updateLater}; under the lock. */
  private ExecutorService background;

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
    return writeCurrent();
  }

  /** Applies {@code change} now and writes the files soon, on the {@code status-writer} thread. */
  public synchronized void updateLater(UnaryOperator<StatusDocument> change) {
    current = change.apply(current).withUpdatedAt(clock.instant());
    if (unwritten) {
      return; // the write already asked for will take this document too
    }
    unwritten = true;
    if (background == null) {
      background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "status-writer");
        t.setDaemon(true);
        return t;
      });
    }
    background.execute(this::writeIfUnwritten);
  }

  /** Writes the current document as it is, soon (the first write at start). */
  public void publishLater() {
    updateLater(UnaryOperator.identity());
  }

  private synchronized void writeIfUnwritten() {
    if (unwritten) {
      writeCurrent();
    }
  }

  /** Under the lock. */
  private boolean writeCurrent() {
    unwritten = false;
    StatusDocument next = current;
    boolean ok = writer.write(next);
    metrics.ifPresent(m -> m.write(next));
    return ok;
  }

  public StatusDocument current() {
    return current;
  }
}
