package dev.ankisupervisor.sync;

import dev.ankisupervisor.model.FullSyncDirection;
import dev.ankisupervisor.model.SyncOutcome;
import dev.ankisupervisor.model.SyncState;
import dev.ankisupervisor.model.SyncTrigger;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The sync loop's state after each change, handed to its listener; it maps one to one onto the
 * status file's {@code sync} object. Immutable; any thread.
 *
 * @param lastOutcome the last finished attempt's outcome; empty before the first
 * @param loopEnabled whether the periodic loop runs (interval > 0)
 * @param inFlight whether a sync is running right now
 * @param trigger the trigger of the running or last attempt
 * @param lastAttemptAt when the running or last attempt started
 * @param lastFinishedAt when the last attempt ended
 * @param lastDurationMs how long the last attempt took
 * @param lastSuccessAt when the last successful attempt ended
 * @param consecutiveFailures failed attempts since the last success
 * @param nextSyncAt when the next periodic (or backoff) attempt is due; empty with the loop off
 * @param intervalSeconds the configured interval (0: loop off)
 * @param fullSyncDirection with {@code full_sync_required}: which way
 * @param message the last attempt's one-line message (the error message when it failed)
 */
public record SyncSnapshot(
    Optional<SyncOutcome> lastOutcome,
    boolean loopEnabled,
    boolean inFlight,
    Optional<SyncTrigger> trigger,
    Optional<Instant> lastAttemptAt,
    Optional<Instant> lastFinishedAt,
    Optional<Long> lastDurationMs,
    Optional<Instant> lastSuccessAt,
    int consecutiveFailures,
    Optional<Instant> nextSyncAt,
    long intervalSeconds,
    Optional<FullSyncDirection> fullSyncDirection,
    Optional<String> message) {
  public SyncSnapshot {
    Objects.requireNonNull(lastOutcome, "lastOutcome");
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(lastAttemptAt, "lastAttemptAt");
    Objects.requireNonNull(lastFinishedAt, "lastFinishedAt");
    Objects.requireNonNull(lastDurationMs, "lastDurationMs");
    Objects.requireNonNull(lastSuccessAt, "lastSuccessAt");
    Objects.requireNonNull(nextSyncAt, "nextSyncAt");
    Objects.requireNonNull(fullSyncDirection, "fullSyncDirection");
    Objects.requireNonNull(message, "message");
  }

  /** Before any attempt. */
  public static SyncSnapshot initial(long intervalSeconds) {
    return new SyncSnapshot(Optional.empty(), intervalSeconds > 0, false, Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), 0, Optional.empty(), intervalSeconds,
        Optional.empty(), Optional.empty());
  }

  /**
   * The status file's {@code sync.state}: the last outcome's name, else {@code never}, or
   * {@code disabled} when the loop is off and nothing ran.
   */
  public SyncState state() {
    return lastOutcome.map(SyncState::of).orElse(loopEnabled ? SyncState.NEVER : SyncState.DISABLED);
  }

  /** The status file's {@code sync.error.kind}: the outcome's name when the last attempt failed. */
  public Optional<SyncOutcome> errorKind() {
    return lastOutcome.filter(o -> !o.isSuccess());
  }

  /** The status file's {@code sync.error.message}, when the last attempt failed. */
  public Optional<String> errorMessage() {
    return errorKind().flatMap(k -> message);
  }

  SyncSnapshot started(SyncTrigger t, Instant at) {
    return new SyncSnapshot(lastOutcome, loopEnabled, true, Optional.of(t), Optional.of(at), lastFinishedAt,
        lastDurationMs, lastSuccessAt, consecutiveFailures, Optional.empty(), intervalSeconds, fullSyncDirection,
        message);
  }

  SyncSnapshot finished(SyncResult r, int failures, Optional<Instant> next) {
    Optional<Instant> success = r.outcome().isSuccess() ? Optional.of(r.finishedAt()) : lastSuccessAt;
    return new SyncSnapshot(Optional.of(r.outcome()), loopEnabled, false, Optional.of(r.trigger()),
        Optional.of(r.startedAt()), Optional.of(r.finishedAt()), Optional.of(r.durationMs()), success, failures,
        next, intervalSeconds, r.fullSyncDirection(), Optional.of(r.message()));
  }

  SyncSnapshot withNextSyncAt(Optional<Instant> next) {
    return new SyncSnapshot(lastOutcome, loopEnabled, inFlight, trigger, lastAttemptAt, lastFinishedAt,
        lastDurationMs, lastSuccessAt, consecutiveFailures, next, intervalSeconds, fullSyncDirection, message);
  }
}
