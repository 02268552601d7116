package dev.ankisupervisor.watch;

import dev.ankisupervisor.model.ExitReason;

/**
 * Why the supervisor ended an Anki itself, and what that means: whether it counts as a failure for
 * the restart policy, and whether Anki is killed at once instead of getting SIGTERM first.
 *
 * <p>Immutable; any thread.
 */
enum EndReason {
  /** Liveness probes missed too many times in a row: SIGTERM, then SIGKILL after the stop timeout. */
  HUNG(ExitReason.HUNG, true, false),
  /**
   * Not ready within the start timeout: stuck at a dialog with no collection open, where SIGTERM may
   * be ignored (C6) and SIGKILL loses nothing.
   */
  START_TIMEOUT(ExitReason.START_TIMEOUT, true, true),
  /** The bind address changed: a restart on the new one, not a failure of Anki. */
  ADDRESS_CHANGED(ExitReason.ADDRESS_CHANGED, false, false),
  /**
   * The bind address went away (a Tailscale outage) and AnkiConnect stopped answering: Anki is
   * stopped and relaunched once the address is back, however long that takes; not a failure.
   */
  ADDRESS_GONE(ExitReason.ADDRESS_GONE, false, false);

  private final ExitReason exitReason;
  private final boolean countsAsFailure;
  private final boolean killsAtOnce;

  EndReason(ExitReason exitReason, boolean countsAsFailure, boolean killsAtOnce) {
    this.exitReason = exitReason;
    this.countsAsFailure = countsAsFailure;
    this.killsAtOnce = killsAtOnce;
  }

  /** The status file's {@code anki.lastExit.reason}. */
  ExitReason exitReason() {
    return exitReason;
  }

  /** Whether the restart policy counts it (delay, crash-loop limit). */
  boolean countsAsFailure() {
    return countsAsFailure;
  }

  /** Whether Anki gets SIGKILL at once instead of SIGTERM first. */
  boolean killsAtOnce() {
    return killsAtOnce;
  }
}
