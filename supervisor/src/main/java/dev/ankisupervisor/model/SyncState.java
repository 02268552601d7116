package dev.ankisupervisor.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The status file's {@code sync.state}: the last attempt's {@link SyncOutcome}, or before any
 * attempt {@link #NEVER} (the loop will run) or {@link #DISABLED} (interval 0). The outcome names
 * live only in {@link SyncOutcome}. Immutable; any thread.
 */
public final class SyncState {
  /** No attempt yet; the periodic loop will make one. */
  public static final SyncState NEVER = new SyncState("never", null);
  /** No attempt yet and the periodic loop is off (interval 0). */
  public static final SyncState DISABLED = new SyncState("disabled", null);

  private static final List<SyncState> VALUES;

  static {
    List<SyncState> all = new ArrayList<>(List.of(NEVER, DISABLED));
    for (SyncOutcome o : SyncOutcome.values()) {
      all.add(new SyncState(o.statusName(), o));
    }
    VALUES = Collections.unmodifiableList(all);
  }

  private final String name;
  private final SyncOutcome outcome;

  private SyncState(String name, SyncOutcome outcome) {
    this.name = name;
    this.outcome = outcome;
  }

  /** The state after an attempt that ended with {@code outcome}. */
  public static SyncState of(SyncOutcome outcome) {
    Objects.requireNonNull(outcome, "outcome");
    return VALUES.get(2 + outcome.ordinal());
  }

  /** Every state the schema knows: {@code never}, {@code disabled}, then each outcome. */
  public static List<SyncState> values() {
    return VALUES;
  }

  /** The state named {@code name} in the status file. */
  @JsonCreator
  public static SyncState fromStatusName(String name) {
    for (SyncState s : VALUES) {
      if (s.name.equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException("sync state must be one of " + VALUES + ", found " + name);
  }

  /** The lowercase name in sync-status.json and the metrics ({@code network_error}). */
  @JsonValue
  public String statusName() {
    return name;
  }

  /** The last attempt's outcome; empty before any attempt. */
  public Optional<SyncOutcome> outcome() {
    return Optional.ofNullable(outcome);
  }

  /** Whether the last attempt failed. */
  public boolean hasFailed() {
    return outcome != null && !outcome.isSuccess();
  }

  @Override
  public String toString() {
    return name;
  }
}
