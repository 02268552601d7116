package dev.ankisupervisor.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Why a sync ran; the status file's {@code sync.trigger} is {@link #statusName()}. Immutable; any thread. */
public enum SyncTrigger {
  /** The first sync once Anki is ready ({@code --sync-on-start}). */
  STARTUP,
  /** The periodic sync ({@code --sync-interval}). */
  INTERVAL,
  /** SIGUSR1 / {@code anki-supervisor sync-now}. */
  MANUAL,
  /** The first-boot full download into an empty collection. */
  BOOTSTRAP;

  /** The lower-case name used in sync-status.json and the log ({@code manual}). */
  @JsonValue
  public String statusName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
