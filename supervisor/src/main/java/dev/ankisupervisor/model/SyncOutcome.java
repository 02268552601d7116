package dev.ankisupervisor.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How one sync ended. The status file shows {@link #statusName()}. Immutable;
 * any thread.
 */
public enum SyncOutcome {
  /** The collection is in step with the server (no changes, or a normal merge). */
  OK,
  /**
   * Neither the sync server nor this profile holds a card (a fresh install): nothing can be lost,
   * and the first sync after a device uploaded downloads its collection (the bootstrap). Counts as
   * a success.
   */
  WAITING_FOR_FIRST_UPLOAD,
  /** The profile has no sync key ({@code sync: auth not configured}, A4): set the sync login. */
  AUTH_MISSING,
  /** The server refused the key ({@code Email or password was incorrect...}, A4). */
  AUTH_FAILED,
  /** The server cannot be reached ({@code A network error occurred.} or {@code Please check your internet connection.}, A4, or /health failed). */
  NETWORK_ERROR,
  /** Anki's network timeout fired ({@code Connection timed out...}), or our call timeout did. */
  TIMEOUT,
  /** The server failed ({@code AnkiWeb encountered a problem...}, a 5xx, A4). */
  SERVER_ERROR,
  /** Another client is syncing the same account ({@code Only one copy of Anki can sync...}, A4). */
  CONFLICT,
  /** A full sync is needed and we do not overwrite data on our own; see the direction. */
  FULL_SYNC_REQUIRED,
  /** Anki did not serve the request: no collection open, nothing listening, HTTP error. */
  ANKI_UNAVAILABLE,
  /** Anything else; the message holds the raw text. */
  UNKNOWN;

  /** The lowercase name used in sync-status.json and metrics ({@code full_sync_required}). */
  @JsonValue
  public String statusName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean isSuccess() {
    return this == OK || this == WAITING_FOR_FIRST_UPLOAD;
  }

  /** Needs the operator: retrying will not fix it (status CRITICAL). */
  public boolean isCritical() {
    return this == AUTH_MISSING || this == AUTH_FAILED || this == FULL_SYNC_REQUIRED;
  }
}
