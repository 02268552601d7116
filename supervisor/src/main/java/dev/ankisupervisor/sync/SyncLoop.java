package dev.ankisupervisor.sync;

import dev.ankisupervisor.model.SyncOutcome;
import dev.ankisupervisor.model.SyncTrigger;
import dev.ankisupervisor.os.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic sync, one loop for the whole run, paused while Anki is not ready: at each
 * {@link #resume} (Anki READY) one sync at once ({@code --sync-on-start}), then one every interval
 * measured from the start of the previous one (fixed delay, so a sync that overruns delays the next
 * instead of stacking); failures retry after 30 s, 1 m, 2 m ... capped at the interval and never stop
 * the loop; interval 0 turns the periodic part off while {@link #requestNow} still works. Without
 * {@code --sync-on-start} the first resume waits one interval and a later one keeps the schedule it
 * paused with (an attempt that fell due meanwhile runs at once).
 *
 * <p>Times: the schedule runs on the monotonic ticker, so a step of the wall clock (NTP putting a
 * clock that ran ahead back by a day) never moves the next sync; the wall clock only dates what
 * the status file shows ({@code nextSyncAt}: now plus what is left to wait).
 *
 * <p>Life: {@code LATENT -> RUNNING <-> PAUSED -> CLOSED}. {@link #pause} when Anki leaves READY
 * (a sync in flight finishes and is classified; no new one starts), {@link #resume} at its next
 * READY (possibly at another endpoint: the {@code prepare} step handed to resume runs first),
 * {@link #stop} for good. A request made while not running is kept, coalesced, and runs right after
 * the start-of-run sync of the next resume.
 *
 * <p>Threading: every sync and every state change of the schedule runs on the scheduler's single
 * thread (named {@code sync}), so two syncs never overlap and at most one is in flight.
 * {@link #resume} and {@link #pause} are called from one thread (the supervisor's) and alternate;
 * {@link #stop}, {@link #requestNow}, {@link #isSyncInFlight} and {@link #snapshot} may be called
 * from any thread. None of them blocks on a sync. The listener is called on the sync thread.
 *
 * <p>Typical wiring (the supervisor's {@code SyncWiring}): {@code new SyncLoop(runner::sync, ...)},
 * {@link #resume} when Anki is ready, {@link #pause} when it ends, {@link #requestNow} on SIGUSR1,
 * {@link #stop} on shutdown.
 */
public final class SyncLoop {
  private static final Logger LOG = LoggerFactory.getLogger(SyncLoop.class);

  /** Runs one sync; {@link SyncRunner#sync} in production. Must not throw, but we guard anyway. */
  @FunctionalInterface
  public interface SyncAction {
    SyncResult run(SyncTrigger trigger);
  }

  private enum Life { LATENT, RUNNING, PAUSED, CLOSED }

  /**
   * Where the loop is in its life, and which round: each resume and pause starts a new round, so
   * timers and resume work of an older round do nothing.
   */
  private record Phase(Life life, int round) {
    Phase next(Life to) {
      return new Phase(to, round + 1);
    }

    boolean isRunning(int r) {
      return life == Life.RUNNING && round == r;
    }
  }

  private final SyncAction action;
  private final Duration interval;
  private final boolean syncOnStart;
  private final Clock clock;
  /** Monotonic nanos: the schedule's only time. */
  private final LongSupplier ticker;
  private final Scheduler scheduler;
  private final Consumer<SyncSnapshot> listener;
  private final AtomicReference<Phase> phase = new AtomicReference<>(new Phase(Life.LATENT, 0));
  /** The pending manual/explicit request's trigger; null when none (requests coalesce). */
  private final AtomicReference<SyncTrigger> requested = new AtomicReference<>();
  /** The latest state; written on the sync thread only, read anywhere. */
  private volatile SyncSnapshot snapshot;
  /** The next periodic or backoff attempt; touched on the sync thread only. */
  private Scheduler.Scheduled next;
  /** The round whose resume work is done (requests wait for it); sync thread only. */
  private int resumedRound = -1;
  /** When (ticker nanos) the next periodic or backoff attempt is due; null when none; sync thread only. */
  private Long nextDueNanos;
  /**
   * The least time from the end of an attempt that found Anki silent ({@code timeout},
   * {@code anki_unavailable}) to the next attempt: room for the liveness probes, which never count
   * a miss while a sync runs, to tell a hung Anki; zero by default.
   */
  private volatile Duration gapAfterSilence = Duration.ZERO;

  /** A loop whose ticker is the wall clock's millis (tests whose clock never steps). */
  public SyncLoop(SyncAction action, Duration interval, boolean syncOnStart, Clock clock, Scheduler scheduler,
      Consumer<SyncSnapshot> listener) {
    this(action, interval, syncOnStart, clock, () -> clock.millis() * 1_000_000L, scheduler, listener);
  }

  /**
   * @param clock the wall clock: dates in the snapshots only
   * @param ticker monotonic nanos ({@code System::nanoTime}): the schedule
   */
  public SyncLoop(SyncAction action, Duration interval, boolean syncOnStart, Clock clock, LongSupplier ticker,
      Scheduler scheduler, Consumer<SyncSnapshot> listener) {
    this.action = Objects.requireNonNull(action, "action");
    this.interval = Objects.requireNonNull(interval, "interval");
    if (interval.isNegative()) {
      throw new IllegalArgumentException("sync interval must be >= 0, found " + interval);
    }
    this.syncOnStart = syncOnStart;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.snapshot = SyncSnapshot.initial(interval.toSeconds());
  }

  /** Sets {@link #gapAfterSilence}; call before the first {@link #resume}. */
  public void gapAfterSilence(Duration gap) {
    if (gap.isNegative()) {
      throw new IllegalArgumentException("the gap after a silent sync must be >= 0, found " + gap);
    }
    gapAfterSilence = gap;
  }

  /** {@link #resume(Runnable)} with nothing to prepare. */
  public void resume() {
    resume(() -> {});
  }

  /**
   * Anki is ready: runs {@code prepare} on the sync thread (the patch check, a runner for a new
   * endpoint), then a STARTUP sync if enabled, else the schedule (see the class comment), then a
   * request kept while paused. Ignored after {@link #stop}.
   *
   * @throws IllegalStateException when already running: resume and pause alternate
   */
  public void resume(Runnable prepare) {
    Objects.requireNonNull(prepare, "prepare");
    Phase was = phase.get();
    if (was.life() == Life.CLOSED) {
      LOG.debug("sync loop resume after stop; ignored");
      return;
    }
    Phase now = was.next(Life.RUNNING);
    if (was.life() == Life.RUNNING || !phase.compareAndSet(was, now)) {
      throw new IllegalStateException("sync loop cannot resume: it is " + phase.get().life() + " (resume and pause"
          + " alternate)");
    }
    try {
      scheduler.schedule(() -> resumed(now.round(), prepare), Duration.ZERO);
    } catch (RejectedExecutionException e) {
      LOG.debug("sync loop stopped while resuming");
    }
  }

  /**
   * Anki is not ready any more: no new sync starts until {@link #resume}; a sync in flight
   * finishes (A3: Anki cannot be interrupted mid-sync) and is classified. Does nothing unless running.
   */
  public void pause() {
    Phase was = phase.get();
    if (was.life() == Life.RUNNING && phase.compareAndSet(was, was.next(Life.PAUSED))) {
      LOG.info("sync loop paused until Anki is ready again");
    }
  }

  /** Stops the loop for good; idempotent. A sync in flight finishes (A3: Anki cannot be interrupted mid-sync). */
  public void stop() {
    Phase was = phase.getAndUpdate(p -> p.life() == Life.CLOSED ? p : p.next(Life.CLOSED));
    if (was.life() != Life.CLOSED) {
      scheduler.shutdown();
    }
  }

  /**
   * Asks for one sync soon, whatever the interval (SIGUSR1, {@code sync-now}). With a sync in flight
   * it runs right after it; while paused (or before the first resume) it is kept until the next
   * resume; any number of requests before it starts coalesce into one. Ignored after {@link #stop}.
   */
  public void requestNow(SyncTrigger trigger) {
    Objects.requireNonNull(trigger, "trigger");
    Life life = phase.get().life();
    if (life == Life.CLOSED) {
      LOG.warn("sync request ({}) ignored: the sync loop is stopped (the supervisor is stopping)",
          trigger.statusName());
      return;
    }
    if (!requested.compareAndSet(null, trigger)) {
      LOG.info("sync request ({}) coalesced with one already pending", trigger.statusName());
      return;
    }
    if (life != Life.RUNNING) {
      LOG.info("{} sync request kept until Anki is ready (the sync loop resumes then)", trigger.statusName());
    }
    try {
      scheduler.schedule(this::runRequested, Duration.ZERO);
    } catch (RejectedExecutionException e) {
      requested.set(null); // stopped meanwhile
    }
  }

  /** Whether a sync is running now. */
  public boolean isSyncInFlight() {
    return snapshot.inFlight();
  }

  public SyncSnapshot snapshot() {
    return snapshot;
  }

  /** On the sync thread: the start of a running round. */
  private void resumed(int round, Runnable prepare) {
    if (!phase.get().isRunning(round)) {
      return;
    }
    cancelNext();
    try {
      prepare.run();
    } catch (RuntimeException | Error e) {
      LOG.error("preparing the sync loop for the ready Anki failed; syncing anyway", e);
    }
    resumedRound = round;
    if (syncOnStart) {
      runOnce(SyncTrigger.STARTUP, round);
    } else {
      // the schedule paused with (an attempt due meanwhile runs now), or one interval from now
      long now = ticker.getAsLong();
      scheduleAt(nextDueNanos != null ? nextDueNanos : now + interval.toNanos(), round);
      publish(snapshot.withNextSyncAt(Optional.ofNullable(wallTimeOf(nextDueNanos))));
    }
    runRequested();
  }

  /** On the sync thread; a request waits for its round's resume work. */
  private void runRequested() {
    Phase p = phase.get();
    if (p.life() != Life.RUNNING || resumedRound != p.round()) {
      return; // kept: the next resume runs it
    }
    SyncTrigger t = requested.getAndSet(null);
    if (t != null) {
      runOnce(t, p.round());
    }
  }

  /** On the sync thread. */
  private void runOnce(SyncTrigger trigger, int round) {
    if (!phase.get().isRunning(round)) {
      return;
    }
    cancelNext();
    Instant start = clock.instant();
    long startNanos = ticker.getAsLong();
    publish(snapshot.started(trigger, start));
    SyncResult result;
    try {
      result = action.run(trigger);
    } catch (RuntimeException | Error e) {
      // Any Throwable (an OutOfMemoryError from a reply included) is this attempt's failure: logged,
      // recorded in the status file, and the next attempt is scheduled as after any failure.
      LOG.error("sync ({}) failed with an unexpected {}; the loop carries on", trigger.statusName(),
          e.getClass().getSimpleName(), e);
      result = SyncResult.of(trigger, Classification.of(SyncOutcome.UNKNOWN, "internal error: " + e), start,
          clock.instant());
    }
    // The duration on the monotonic clock: the wall clock may step (NTP) while a sync runs.
    result = result.withDuration(Duration.ofNanos(ticker.getAsLong() - startNanos));
    int failures = result.outcome().isSuccess() ? 0 : snapshot.consecutiveFailures() + 1;
    long due = startNanos + SyncBackoff.delayAfter(failures, interval).toNanos();
    if (foundAnkiSilent(result.outcome())) {
      due = Math.max(due, ticker.getAsLong() + gapAfterSilence.toNanos());
    }
    if (phase.get().isRunning(round)) {
      scheduleAt(due, round);
    } else if (!interval.isZero()) {
      nextDueNanos = due; // kept for the next resume
    }
    Instant nextAt = wallTimeOf(nextDueNanos);
    log(result, failures, nextAt);
    publish(snapshot.finished(result, failures, Optional.ofNullable(nextAt)));
  }

  /**
   * Called on the sync thread by the running action when its sync turns into another kind (the
   * bootstrap's download): the snapshot then shows that trigger in flight.
   */
  public void runningAs(SyncTrigger trigger) {
    SyncSnapshot s = snapshot;
    if (s.inFlight()) {
      publish(s.started(trigger, s.lastAttemptAt().orElse(clock.instant())));
    }
  }

  private void cancelNext() {
    if (next != null) {
      next.cancel();
      next = null;
    }
  }

  /** The wall time of a ticker time, for the snapshot; null for null (the loop off, nothing due). */
  private Instant wallTimeOf(Long dueNanos) {
    return dueNanos == null ? null : clock.instant().plusNanos(dueNanos - ticker.getAsLong());
  }

  /** Schedules the next periodic attempt at {@code dueNanos} (ticker time); nothing with the loop off. */
  private void scheduleAt(long dueNanos, int round) {
    if (interval.isZero()) {
      nextDueNanos = null;
      return;
    }
    nextDueNanos = dueNanos;
    long wait = dueNanos - ticker.getAsLong();
    try {
      next = scheduler.schedule(() -> runOnce(SyncTrigger.INTERVAL, round), Duration.ofNanos(Math.max(0, wait)));
    } catch (RejectedExecutionException e) {
      next = null; // stopped meanwhile
    }
  }

  private void log(SyncResult r, int failures, Instant nextAt) {
    String when = nextAt == null ? "no periodic sync (interval 0)" : "next at " + nextAt;
    if (r.outcome().isSuccess()) {
      LOG.info("sync ({}) {} in {} ms: {}; {}", r.trigger().statusName(), r.outcome().statusName(), r.durationMs(),
          r.message(), when);
    } else {
      LOG.warn("sync ({}) {} after {} ms, {} failure(s) in a row: {}; {}", r.trigger().statusName(),
          r.outcome().statusName(), r.durationMs(), failures, r.message(), when);
    }
  }

  private void publish(SyncSnapshot s) {
    snapshot = s;
    try {
      listener.accept(s);
    } catch (RuntimeException | Error e) {
      LOG.error("sync snapshot listener failed; the loop carries on", e);
    }
  }

  /**
   * Whether a sync found AnkiConnect silent (no answer within the call timeout, or none at all): the
   * next one then waits {@link #gapAfterSilence} so enough liveness misses can count in between.
   */
  private static boolean foundAnkiSilent(SyncOutcome o) {
    return o == SyncOutcome.TIMEOUT || o == SyncOutcome.ANKI_UNAVAILABLE;
  }
}
