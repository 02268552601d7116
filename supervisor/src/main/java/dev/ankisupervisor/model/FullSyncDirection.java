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

  /** The command that resolves it, for log lines and the status message. */
  public String resolvingCommand() {
    return switch (this) {
      case DOWNLOAD -> "anki-supervisor full-sync --download --yes";
      case UPLOAD -> "anki-supervisor full-sync --upload --yes";
      case EITHER -> "anki-supervisor full-sync --download --yes --force (keep the server's copy) or "
          + "anki-supervisor full-sync --upload --yes --force (keep this one)";
    };
  }
}
