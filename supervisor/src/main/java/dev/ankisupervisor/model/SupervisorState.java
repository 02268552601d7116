package dev.ankisupervisor.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The supervisor's whole life, in lifecycle order. The normal path is
 * <ol>
 *   <li>{@link #PREPARING} (once, at start)</li>
 *   <li>{@link #WAITING_FOR_NETWORK}</li>
 *   <li>{@link #STARTING}</li>
 *   <li>{@link #READY}</li>
 *   <li>{@link #STOPPING}</li>
 *   <li>{@link #STOPPED}</li>
 * </ol>
 * with a detour {@code READY/STARTING -> BACKING_OFF -> WAITING_FOR_NETWORK -> STARTING} for each
 * restart. {@link #STOPPED} and {@link #FAILED} are terminal: never left. Only the moves in
 * {@link #canMoveTo} are allowed.
 *
 * <p>Threading: immutable; any thread.
 */
public enum SupervisorState {
  /** The supervisor is setting itself up (settings checked, notifier and listeners ready); no Anki yet. */
  PREPARING,
  /**
   * Waiting for the bind address to appear (A3): systemd gets STATUS= and EXTEND_TIMEOUT_USEC;
   * no Anki runs. Listeners should show "waiting for network".
   */
  WAITING_FOR_NETWORK,
  /**
   * Stale holders cleared, base folder prepared, Anki launched and not ready yet (no deckNames
   * answer). The start timeout runs; AnkiConnect may refuse or answer "collection is not available".
   */
  STARTING,
  /**
   * deckNames answers (A4): systemd got READY=1; liveness probes run; the sync loop may run
   * ({@link #acceptsSync()}).
   */
  READY,
  /** Anki ended or was ended (crash, hang, timeout, address change); the next launch waits its delay. */
  BACKING_OFF,
  /** Asked to stop: STOPPING=1 sent, sync loop stopped, Anki getting SIGTERM then SIGKILL. */
  STOPPING,
  /** Terminal: stopped on request, no Anki process left. Exit code 0. */
  STOPPED,
  /**
   * Terminal: gave up (crash-loop limit, network never ready, a configuration error); no Anki
   * process left; the snapshot's failure reason says why. Exit code non-zero.
   */
  FAILED;

  private static final Map<SupervisorState, Set<SupervisorState>> ALLOWED = new EnumMap<>(SupervisorState.class);

  static {
    ALLOWED.put(PREPARING, EnumSet.of(WAITING_FOR_NETWORK, STOPPING, FAILED));
    ALLOWED.put(WAITING_FOR_NETWORK, EnumSet.of(STARTING, STOPPING, FAILED));
    ALLOWED.put(STARTING, EnumSet.of(READY, BACKING_OFF, STOPPING, FAILED));
    ALLOWED.put(READY, EnumSet.of(BACKING_OFF, STOPPING, FAILED));
    ALLOWED.put(BACKING_OFF, EnumSet.of(WAITING_FOR_NETWORK, STOPPING, FAILED));
    ALLOWED.put(STOPPING, EnumSet.of(STOPPED, FAILED));
    ALLOWED.put(STOPPED, EnumSet.noneOf(SupervisorState.class));
    ALLOWED.put(FAILED, EnumSet.noneOf(SupervisorState.class));
  }

  /** Whether the supervisor may go from this state to {@code next}. */
  public boolean canMoveTo(SupervisorState next) {
    return ALLOWED.get(this).contains(next);
  }

  /** Whether this state is never left ({@link #STOPPED}, {@link #FAILED}). */
  public boolean isTerminal() {
    return ALLOWED.get(this).isEmpty();
  }

  /** Whether a sync may run now: only while Anki is {@link #READY}. */
  public boolean acceptsSync() {
    return this == READY;
  }

  /** Whether the supervisor is on its way out ({@link #STOPPING} or terminal). */
  public boolean isShuttingDown() {
    return this == STOPPING || isTerminal();
  }

  /** The name written into the status file: lower case with underscores, e.g. {@code waiting_for_network}. */
  @JsonValue
  public String statusName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
