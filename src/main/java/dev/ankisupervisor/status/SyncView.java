package dev.ankisupervisor.status;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * The status file's {@code sync} object. Immutable; any thread. Built by the
 * supervisor from the sync loop's snapshot (the names are the sync package's {@code statusName()}s).
 *
 * @param state one of {@link #STATES}
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
    String state,
    String trigger,
    Instant lastAttemptAt,
    Instant lastFinishedAt,
    Long lastDurationMs,
    Instant lastSuccessAt,
    int consecutiveFailures,
    Instant nextSyncAt,
    long intervalSeconds,
    String fullSyncDirection,
    SyncError error) {
  /** Every sync state the schema knows (COMMON.md, schema 1). */
  public static final Set<String> STATES = Set.of("never", "ok", "auth_missing", "auth_failed", "network_error",
      "timeout", "server_error", "conflict", "full_sync_required", "anki_unavailable", "unknown", "disabled");
  /** States that are not a failed attempt. */
  static final Set<String> NOT_FAILED = Set.of("never", "ok", "disabled");

  public SyncView {
    Objects.requireNonNull(state, "state");
    if (!STATES.contains(state)) {
      throw new IllegalArgumentException("sync state must be one of " + STATES + ", found " + state);
    }
    if (consecutiveFailures < 0 || intervalSeconds < 0) {
      throw new IllegalArgumentException("sync counters must be >= 0, found " + consecutiveFailures + " and "
          + intervalSeconds);
    }
  }

  /**
   * The last attempt's failure.
   *
   * @param kind the sync state it caused ({@code network_error} ...)
   * @param message Anki's text and what to do about it
   */
  public record SyncError(String kind, String message) {
    public SyncError {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(message, "message");
    }
  }

  /** Before any attempt: {@code never}, or {@code disabled} when the interval is zero. */
  public static SyncView initial(Duration interval) {
    return new SyncView(interval.isZero() ? "disabled" : "never", null, null, null, null, null, 0, null,
        interval.toSeconds(), null, null);
  }

  /** Whether the last attempt failed. */
  public boolean hasFailed() {
    return !NOT_FAILED.contains(state);
  }
}
