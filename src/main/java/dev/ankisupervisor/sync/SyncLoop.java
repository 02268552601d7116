package dev.ankisupervisor.sync;

import dev.ankisupervisor.model.SyncOutcome;
import dev.ankisupervisor.os.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic sync: one sync at start ({@code --sync-on-start}), then one
 * every interval measured from the start of the previous one (fixed delay, so a sync that overruns
 * delays the next instead of stacking); failures retry after 30 s, 1 m, 2 m ... capped at the
 * interval and never stop the loop; interval 0 turns the periodic part off while
 * {@link #requestNow} still works.
 *
 * <p>Threading: every sync and every state change runs on the scheduler's single thread (named
 * {@code sync}), so two syncs never overlap and at most one is in flight. {@link #start},
 * {@link #stop}, {@link #requestNow}, {@link #isSyncInFlight} and {@link #snapshot} may be called
 * from any thread; they never block on a sync. The listener is called on the sync thread.
 *
 * <p>Typical wiring (the supervisor's {@code SyncWiring}): {@code new SyncLoop(runner::sync, ...)},
 * {@link #start} once Anki is ready, {@link #requestNow} on SIGUSR1, {@link #stop} on shutdown.
 */
public final class SyncLoop {
  private static final Logger LOG = LoggerFactory.getLogger(SyncLoop.class);

  /** Runs one sync; {@link SyncRunner#sync} in production. Must not throw, but we guard anyway. */
  @FunctionalInterface
  public interface SyncAction {
    SyncResult run(SyncTrigger trigger);
  }

  private enum Life { LATENT, STARTED, CLOSED }

  private final SyncAction action;
  private final Duration interval;
  private final boolean syncOnStart;
  private final Clock clock;
  private final Scheduler scheduler;
  private final Consumer<SyncSnapshot> listener;
  private final AtomicReference<Life> life = new AtomicReference<>(Life.LATENT);
  /** The pending manual/explicit request's trigger; null when none (requests coalesce). */
  private final AtomicReference<SyncTrigger> requested = new AtomicReference<>();
  /** The latest state; written on the sync thread only, read anywhere. */
  private volatile SyncSnapshot snapshot;
  /** The next periodic or backoff attempt; touched on the sync thread only (and in start). */
  private Scheduler.Scheduled next;

  public SyncLoop(SyncAction action, Duration interval, boolean syncOnStart, Clock clock, Scheduler scheduler,
      Consumer<SyncSnapshot> listener) {
    this.action = Objects.requireNonNull(action, "action");
    this.interval = Objects.requireNonNull(interval, "interval");
    if (interval.isNegative()) {
      throw new IllegalArgumentException("sync interval must be >= 0, found " + interval);
    }
    this.syncOnStart = syncOnStart;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.snapshot = SyncSnapshot.initial(interval.toSeconds());
  }

  /** Starts the loop: a STARTUP sync now if enabled, else the first periodic one after an interval. */
  public void start() {
    if (!life.compareAndSet(Life.LATENT, Life.STARTED)) {
      throw new IllegalStateException("sync loop cannot be started more than once (state " + life.get() + ")");
    }
    scheduler.schedule(() -> {
      if (syncOnStart) {
        runOnce(SyncTrigger.STARTUP);
      } else {
        Instant now = clock.instant();
        scheduleNext(now, interval);
        publish(snapshot.withNextSyncAt(Optional.ofNullable(nextAt(now, interval))));
      }
    }, Duration.ZERO);
  }

  /** Stops the loop; idempotent. A sync in flight finishes (A3: Anki cannot be interrupted mid-sync). */
  public void stop() {
    if (life.getAndSet(Life.CLOSED) != Life.CLOSED) {
      scheduler.shutdown();
    }
  }

  /**
   * Asks for one sync soon, whatever the interval (SIGUSR1, {@code sync-now}). With a sync in flight
   * it runs right after it; any number of requests before it starts coalesce into one.
   */
  public void requestNow(SyncTrigger trigger) {
    Objects.requireNonNull(trigger, "trigger");
    if (life.get() != Life.STARTED) {
      LOG.warn("sync request ({}) ignored: the sync loop is {}; it runs only while Anki is ready", trigger.statusName(),
          life.get());
      return;
    }
    if (requested.compareAndSet(null, trigger)) {
      try {
        scheduler.schedule(this::runRequested, Duration.ZERO);
      } catch (RejectedExecutionException e) {
        requested.set(null); // stopped meanwhile
      }
    } else {
      LOG.info("sync request ({}) coalesced with one already pending", trigger.statusName());
    }
  }

  /** Whether a sync is running now: the watchdog must not count AnkiConnect's silence then (A3). */
  public boolean isSyncInFlight() {
    return snapshot.inFlight();
  }

  public SyncSnapshot snapshot() {
    return snapshot;
  }

  private void runRequested() {
    SyncTrigger t = requested.getAndSet(null);
    if (t != null) {
      runOnce(t);
    }
  }

  /** On the sync thread. */
  private void runOnce(SyncTrigger trigger) {
    if (life.get() != Life.STARTED) {
      return;
    }
    if (next != null) {
      next.cancel();
      next = null;
    }
    Instant start = clock.instant();
    publish(snapshot.started(trigger, start));
    SyncResult result;
    try {
      result = action.run(trigger);
    } catch (RuntimeException e) {
      LOG.error("sync ({}) failed with an unexpected exception; the loop carries on", trigger.statusName(), e);
      result = SyncResult.of(trigger, Classification.of(SyncOutcome.UNKNOWN, String.valueOf(e)), start,
          clock.instant(), Optional.empty(), snapshot.ankiConnectProblem());
    }
    int failures = result.outcome().isSuccess() ? 0 : snapshot.consecutiveFailures() + 1;
    Duration delay = SyncBackoff.delayAfter(failures, interval);
    Instant nextAt = nextAt(start, delay);
    if (life.get() == Life.STARTED) {
      scheduleNext(start, delay);
    }
    log(result, failures, nextAt);
    publish(snapshot.finished(result, failures, Optional.ofNullable(nextAt)));
  }

  /** Null with the loop off. */
  private Instant nextAt(Instant from, Duration delay) {
    return interval.isZero() ? null : from.plus(delay);
  }

  private void scheduleNext(Instant from, Duration delay) {
    if (interval.isZero()) {
      return;
    }
    Duration wait = Duration.between(clock.instant(), from.plus(delay));
    try {
      next = scheduler.schedule(() -> runOnce(SyncTrigger.INTERVAL), wait.isNegative() ? Duration.ZERO : wait);
    } catch (RejectedExecutionException e) {
      next = null; // stopped meanwhile
    }
  }

  private void log(SyncResult r, int failures, Instant nextAt) {
    String when = nextAt == null ? "no periodic sync (interval 0)" : "next at " + nextAt;
    if (r.outcome().isSuccess()) {
      LOG.info("sync ({}) ok in {} ms: {}; {}", r.trigger().statusName(), r.durationMs(), r.message(), when);
    } else {
      LOG.warn("sync ({}) {} after {} ms, {} failure(s) in a row: {}; {}", r.trigger().statusName(),
          r.outcome().statusName(), r.durationMs(), failures, r.message(), when);
    }
  }

  private void publish(SyncSnapshot s) {
    snapshot = s;
    try {
      listener.accept(s);
    } catch (RuntimeException e) {
      LOG.error("sync snapshot listener failed; the loop carries on", e);
    }
  }
}
