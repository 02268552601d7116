package dev.ankisupervisor.statusfile;

import dev.ankisupervisor.model.SupervisorState;
import dev.ankisupervisor.os.ProcessIdentity;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The status file's {@code supervisor} object. Immutable; any thread.
 *
 * @param pid the supervisor's own pid
 * @param startTicks its start time (field 22 of /proc/PID/stat, as in {@code supervisor.pid}); with the
 *     pid, the writer's identity. Null in a file written before it was recorded: such a file cannot
 *     prove that a live process with that pid is its writer
 * @param version the supervisor's version
 * @param startedAt when the supervisor started
 * @param state the supervisor's lifecycle state (written lower case)
 */
public record SupervisorView(long pid, Long startTicks, String version, Instant startedAt, SupervisorState state) {
  public SupervisorView {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(state, "state");
  }

  /** The writer, as {@code process} identifies it. */
  public SupervisorView(ProcessIdentity process, String version, Instant startedAt, SupervisorState state) {
    this(process.pid(), process.startTicks(), version, startedAt, state);
  }

  public SupervisorView withState(SupervisorState next) {
    return new SupervisorView(pid, startTicks, version, startedAt, next);
  }

  /** The process that wrote the file (pid + start time); empty when the file does not record the start time. */
  public Optional<ProcessIdentity> writer() {
    return startTicks == null || pid < 1 ? Optional.empty() : Optional.of(ProcessIdentity.recorded(pid, startTicks));
  }

  /** Whether the writer still runs: the same process (pid AND start time), not a zombie. */
  public boolean writerRuns() {
    return writer().map(ProcessIdentity::isAlive).orElse(false);
  }
}
