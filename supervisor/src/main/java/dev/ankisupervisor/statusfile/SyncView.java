package dev.ankisupervisor.statusfile;

import dev.ankisupervisor.model.FullSyncDirection;
import dev.ankisupervisor.model.SyncOutcome;
import dev.ankisupervisor.model.SyncState;
import dev.ankisupervisor.model.SyncTrigger;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The status file's {@code sync} object. Immutable; any thread. Built by the
 * supervisor from the sync loop's snapshot.
 *
 * @param state the last attempt's outcome, or never/disabled before any
 * @param trigger startup, interval, manual or bootstrap; null before the first attempt
 * @param lastAttemptAt start of the running or last attempt
 * @param lastFinishedAt end of the last attempt
 * @param lastDurationMs its duration
 * @param lastSuccessAt end of the last successful attempt
 * @param consecutiveFailures failed attempts since the last success
 * @param nextSyncAt when the next attempt is due; null with the loop off
 * @param intervalSeconds the sync interval; 0 when the loop is off
 * @param fullSyncDirection download, upload or either, with {@code full_sync_required}; else null
 * @param error the last attempt's failure; null after a success
 */
public record SyncView(
    SyncState state,
    SyncTrigger trigger,
    Instant lastAttemptAt,
    Instant lastFinishedAt,
    Long lastDurationMs,
    Instant lastSuccessAt,
    int consecutiveFailures,
    Instant nextSyncAt,
    long intervalSeconds,
    FullSyncDirection fullSyncDirection,
    SyncError error) {
  public SyncView {
    Objects.requireNonNull(state, "state");
    if (consecutiveFailures < 0 || intervalSeconds < 0) {
      throw new IllegalArgumentException("sync counters must be >= 0, found " + consecutiveFailures + " and "
          + intervalSeconds);
    }
  }

  /**
   * The last attempt's failure.
   *
   * @param kind the failed attempt's outcome ({@code network_error} ...)
   * @param message Anki's text and what to do about it
   */
  public record SyncError(SyncOutcome kind, String message) {
    public SyncError {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(message, "message");
    }
  }

  /** Before any attempt: {@code never}, or {@code disabled} when the interval is zero. */
  public static SyncView initial(Duration interval) {
    return new SyncView(interval.isZero() ? SyncState.DISABLED : SyncState.NEVER, null, null, null, null, null, 0, null,
        interval.toSeconds(), null, null);
  }

  /** Whether the last attempt failed. */
  public boolean hasFailed() {
    return state.hasFailed();
  }
}
