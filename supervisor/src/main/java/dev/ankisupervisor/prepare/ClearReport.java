package dev.ankisupervisor.prepare;

import dev.ankisupervisor.os.ProcessIdentity;
import java.util.List;

/**
 * What {@link StaleHolderClearer#clear} did.
 *
 * @param stopped the stale Ankis (ours or a previous run's) that were stopped, in order
 * @param killed those of them that needed SIGKILL after the stop timeout (C6: no collection open -> SIGTERM is ignored)
 */
public record ClearReport(List<ProcessIdentity> stopped, List<ProcessIdentity> killed) {
  public ClearReport {
    stopped = List.copyOf(stopped);
    killed = List.copyOf(killed);
  }

  public boolean isNothingFound() {
    return stopped.isEmpty();
  }
}
