package dev.ankisupervisor.watch;

import dev.ankisupervisor.model.SupervisorState;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Everything listeners (status file, sd_notify, metrics) need to know about the supervisor at one
 * moment. Immutable; the supervisor publishes a new one in a volatile field after each change,
 * so readers never lock (like Guava's StateSnapshot).
 *
 * @param state the current state
 * @param ankiPid the running Anki's pid, if one runs
 * @param profile the Anki profile supervised
 * @param readySince when Anki last became ready, while it is {@link SupervisorState#READY}
 * @param restarts how many times Anki was restarted since the supervisor started
 * @param lastExit how the previous Anki process ended, if any did
 * @param ankiConnectUrl the URL AnkiConnect answers on, once the bind address is known
 * @param lastProbeAt when the last successful readiness/liveness probe answered
 * @param lastProbeLatency how long that probe took
 * @param failureReason why the supervisor is FAILED, or what the current problem is (stuck start,
 *     network wait); a human-readable line
 * @param restartDelay while BACKING_OFF, how long until the next launch
 */
public record SupervisorSnapshot(
    SupervisorState state,
    OptionalLong ankiPid,
    String profile,
    Optional<Instant> readySince,
    int restarts,
    Optional<LastExit> lastExit,
    Optional<String> ankiConnectUrl,
    Optional<Instant> lastProbeAt,
    Optional<Duration> lastProbeLatency,
    Optional<String> failureReason,
    Optional<Duration> restartDelay) {
  public SupervisorSnapshot {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(ankiPid, "ankiPid");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(readySince, "readySince");
    Objects.requireNonNull(lastExit, "lastExit");
    Objects.requireNonNull(ankiConnectUrl, "ankiConnectUrl");
    Objects.requireNonNull(lastProbeAt, "lastProbeAt");
    Objects.requireNonNull(lastProbeLatency, "lastProbeLatency");
    Objects.requireNonNull(failureReason, "failureReason");
    Objects.requireNonNull(restartDelay, "restartDelay");
    if (restarts < 0) {
      throw new IllegalArgumentException("restarts must be >= 0, found " + restarts);
    }
    if (readySince.isPresent() && state != SupervisorState.READY) {
      throw new IllegalArgumentException("readySince is set only while READY, found state " + state);
    }
  }

  /** The first snapshot: PREPARING, nothing known yet. */
  public static SupervisorSnapshot initial(String profile) {
    return new SupervisorSnapshot(SupervisorState.PREPARING, OptionalLong.empty(), profile, Optional.empty(), 0,
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** This snapshot in {@code next}; readySince is kept only while staying READY. */
  public SupervisorSnapshot withState(SupervisorState next) {
    return new SupervisorSnapshot(next, ankiPid, profile, next == SupervisorState.READY ? readySince : Optional.empty(),
        restarts, lastExit, ankiConnectUrl, lastProbeAt, lastProbeLatency, failureReason,
        next == SupervisorState.BACKING_OFF ? restartDelay : Optional.empty());
  }

  public SupervisorSnapshot withReadySince(Instant at) {
    return new SupervisorSnapshot(state, ankiPid, profile, Optional.of(at), restarts, lastExit, ankiConnectUrl,
        lastProbeAt, lastProbeLatency, failureReason, restartDelay);
  }

  public SupervisorSnapshot withAnkiPid(OptionalLong pid) {
    return new SupervisorSnapshot(state, pid, profile, readySince, restarts, lastExit, ankiConnectUrl,
        lastProbeAt, lastProbeLatency, failureReason, restartDelay);
  }

  public SupervisorSnapshot withRestarts(int count) {
    return new SupervisorSnapshot(state, ankiPid, profile, readySince, count, lastExit, ankiConnectUrl,
        lastProbeAt, lastProbeLatency, failureReason, restartDelay);
  }

  public SupervisorSnapshot withLastExit(LastExit exit) {
    return new SupervisorSnapshot(state, ankiPid, profile, readySince, restarts, Optional.of(exit), ankiConnectUrl,
        lastProbeAt, lastProbeLatency, failureReason, restartDelay);
  }

  public SupervisorSnapshot withAnkiConnectUrl(String url) {
    return new SupervisorSnapshot(state, ankiPid, profile, readySince, restarts, lastExit, Optional.of(url),
        lastProbeAt, lastProbeLatency, failureReason, restartDelay);
  }

  public SupervisorSnapshot withProbe(Instant at, Duration latency) {
    return new SupervisorSnapshot(state, ankiPid, profile, readySince, restarts, lastExit, ankiConnectUrl,
        Optional.of(at), Optional.of(latency), failureReason, restartDelay);
  }

  public SupervisorSnapshot withRestartDelay(Duration delay) {
    return new SupervisorSnapshot(state, ankiPid, profile, readySince, restarts, lastExit, ankiConnectUrl,
        lastProbeAt, lastProbeLatency, failureReason, Optional.of(delay));
  }

  public SupervisorSnapshot withFailureReason(Optional<String> reason) {
    return new SupervisorSnapshot(state, ankiPid, profile, readySince, restarts, lastExit, ankiConnectUrl,
        lastProbeAt, lastProbeLatency, reason, restartDelay);
  }
}
