package dev.ankisupervisor.watch;

import java.time.Duration;
import java.util.Objects;

/**
 * The outcome of one AnkiConnect probe ({@code deckNames} for readiness, {@code version} for
 * liveness, A4).
 *
 * @param kind how it went
 * @param latency how long the call took
 * @param detail the error text or failure message; empty when OK
 */
public record ProbeResult(Kind kind, Duration latency, String detail) {
  /** How a probe went. */
  public enum Kind {
    /** Answered without error. */
    OK,
    /** Nothing listens on the port (connection refused): AnkiConnect has not started its server. */
    NO_PORT,
    /** The port answers but no profile is open: {@code collection is not available} (A2). */
    NO_COLLECTION,
    /** Connected but no reply in time (A3: a blocked GUI thread, or a hang). */
    TIMEOUT,
    /** Any other error reply or failure. */
    ERROR
  }

  public ProbeResult {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(detail, "detail");
  }

  public boolean isOk() {
    return kind == Kind.OK;
  }
}
