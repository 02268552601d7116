package dev.ankisupervisor.launch;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link GracefulStopper#stop} went.
 *
 * @param exit the child's exit status
 * @param killed true when SIGTERM was not enough within the timeout and the group was SIGKILLed
 * @param groupGone true when no process of the group was left at the end
 * @param took from the first signal to the end
 */
public record StopReport(ExitStatus exit, boolean killed, boolean groupGone, Duration took) {
  public StopReport {
    Objects.requireNonNull(exit, "exit");
    Objects.requireNonNull(took, "took");
  }
}
