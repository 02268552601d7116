package dev.ankisupervisor.status;

import dev.ankisupervisor.model.SupervisorState;
import java.time.Instant;
import java.util.Objects;

/**
 * The status file's {@code supervisor} object. Immutable; any thread.
 *
 * @param pid the supervisor's own pid
 * @param version the supervisor's version
 * @param startedAt when the supervisor started
 * @param state the supervisor's lifecycle state (written lower case)
 */
public record SupervisorView(long pid, String version, Instant startedAt, SupervisorState state) {
  public SupervisorView {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(state, "state");
  }

  public SupervisorView withState(SupervisorState next) {
    return new SupervisorView(pid, version, startedAt, next);
  }
}
