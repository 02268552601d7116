package dev.ankisupervisor.model;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Why Anki's last process ended, as the supervisor reads it: the status file's
 * {@code anki.lastExit.reason} is {@link #statusName()} (docs/status.md lists them), and the log
 * and sd_notify {@code STATUS=} line use the same words. Immutable; any thread.
 */
public enum ExitReason {
  /** Killed by a signal it did not get from us (SIGSEGV, SIGABRT, a kill -9 from outside). */
  CRASHED("crashed"),
  /** Exited by itself with a non-zero code. */
  EXITED_WITH_ERROR("exited with an error"),
  /** Exited 0 before it was ever ready: what a second Anki for the same user does (C5). */
  EXITED_BEFORE_READY("exited before ready"),
  /** Exited 0 after it was ready, without being asked to. */
  QUIT_UNEXPECTEDLY("quit unexpectedly"),
  /** Ended by us: liveness probes missed too many times in a row. */
  HUNG("hung"),
  /** Ended by us: not ready within the start timeout. */
  START_TIMEOUT("start timeout"),
  /** Ended by us: the bind address changed, so it is relaunched on the new one. */
  ADDRESS_CHANGED("address changed"),
  /** Ended by us: the bind address went away (a Tailscale outage) and AnkiConnect stopped answering. */
  ADDRESS_GONE("address gone"),
  /** Not launched: a stray process held AnkiConnect's port or the collection lock at a relaunch. */
  PORT_OR_LOCK_HELD("port or lock held by another process"),
  /** Ended by us at the supervisor's own stop (SIGTERM, SIGINT). */
  STOPPED("stopped");

  private final String statusName;

  ExitReason(String statusName) {
    this.statusName = statusName;
  }

  /** The words in the status file and the log: {@code start timeout}. */
  @JsonValue
  public String statusName() {
    return statusName;
  }
}
