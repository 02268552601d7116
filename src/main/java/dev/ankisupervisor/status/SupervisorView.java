package dev.ankisupervisor.status;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * The status file's {@code supervisor} object. Immutable; any thread.
 *
 * @param pid the supervisor's own pid
 * @param version the supervisor's version
 * @param startedAt when the supervisor started
 * @param state one of {@link #STATES} (the supervisor's lifecycle enum, lowercase)
 */
public record SupervisorView(long pid, String version, Instant startedAt, String state) {
  /** Every supervisor state the schema knows (COMMON.md, schema 1). */
  public static final Set<String> STATES = Set.of("preparing", "waiting_for_network", "starting", "ready",
      "backing_off", "stopping", "stopped", "failed");

  public SupervisorView {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(state, "state");
    if (!STATES.contains(state)) {
      throw new IllegalArgumentException("supervisor state must be one of " + STATES + ", found " + state);
    }
  }

  public SupervisorView withState(String next) {
    return new SupervisorView(pid, version, startedAt, next);
  }
}
