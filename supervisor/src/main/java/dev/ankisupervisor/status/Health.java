package dev.ankisupervisor.status;

/** The Nagios plugin states {@code status} exits with. Immutable; any thread. */
public enum Health {
  /** All well. */
  OK(0),
  /** The last sync failed, or the last success is older than two intervals. */
  WARNING(1),
  /** No success within three intervals, a failure only the operator can fix, or the supervisor failed or died. */
  CRITICAL(2),
  /** The status file is missing, unreadable, not ours, or from a newer schema. */
  UNKNOWN(3);

  private final int exitCode;

  Health(int exitCode) {
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
