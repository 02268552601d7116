package dev.ankisupervisor.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Which way a needed full sync must go (A4: sync status 2/3/4; P2: full_sync/full_download/full_upload).
 * The status file's {@code sync.fullSyncDirection} is {@link #statusName()}. Immutable; any thread.
 */
public enum FullSyncDirection {
  /** Replace the local collection with the server's (the local one has no cards). */
  DOWNLOAD,
  /** Replace the server's collection with the local one (the server has none). */
  UPLOAD,
  /** Both sides changed in ways a normal sync cannot merge: the operator chooses. */
  EITHER;

  /** The lower-case name used in sync-status.json, the log and P2's {@code fullSync} ({@code download}). */
  @JsonValue
  public String statusName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
