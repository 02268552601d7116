package dev.ankisupervisor.sync;

import dev.ankisupervisor.model.FullSyncDirection;
import dev.ankisupervisor.model.SyncOutcome;
import dev.ankisupervisor.model.SyncTrigger;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One finished sync attempt. Immutable; any thread.
 *
 * @param trigger why it ran ({@link SyncTrigger#BOOTSTRAP} when it became a first-boot download)
 * @param outcome how it ended
 * @param startedAt when it started
 * @param finishedAt when it ended
 * @param durationMs finishedAt - startedAt
 * @param message a one-line message: Anki's text and what to do (never a secret)
 * @param fullSyncDirection set iff outcome is FULL_SYNC_REQUIRED
 */
public record SyncResult(
    SyncTrigger trigger,
    SyncOutcome outcome,
    Instant startedAt,
    Instant finishedAt,
    long durationMs,
    String message,
    Optional<FullSyncDirection> fullSyncDirection) {
  public SyncResult {
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(finishedAt, "finishedAt");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(fullSyncDirection, "fullSyncDirection");
    if (durationMs < 0) {
      throw new IllegalArgumentException("durationMs must be >= 0, found " + durationMs);
    }
  }

  /** This result with its duration as measured elsewhere (on the monotonic clock, by the loop). */
  SyncResult withDuration(Duration took) {
    return new SyncResult(trigger, outcome, startedAt, finishedAt, Math.max(0, took.toMillis()), message,
        fullSyncDirection);
  }

  static SyncResult of(SyncTrigger trigger, Classification c, Instant startedAt, Instant finishedAt) {
    long ms = Math.max(0, Duration.between(startedAt, finishedAt).toMillis());
    return new SyncResult(trigger, c.outcome(), startedAt, finishedAt, ms, c.message(),
        c.fullSyncDirection());
  }
}
