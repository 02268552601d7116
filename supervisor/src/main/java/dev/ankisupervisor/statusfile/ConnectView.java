package dev.ankisupervisor.statusfile;

import dev.ankisupervisor.ankiconnect.AddonPatches;
import java.time.Instant;

/**
 * The status file's {@code ankiConnect} object. Immutable; any thread. Never holds the API key.
 *
 * @param url where AnkiConnect listens ({@code http://100.64.0.1:8765/}); null until the bind address is known
 * @param lastProbeAt the last liveness/readiness probe; null before the first
 * @param lastProbeLatencyMs its latency; null before the first answered probe
 * @param patches which of our patches the add-on has (apiReflect); null until known
 * @param problem a standing problem with the add-on (no P2: no bootstrap); null when none
 */
public record ConnectView(String url, Instant lastProbeAt, Long lastProbeLatencyMs, AddonPatches patches,
    String problem) {
  public ConnectView withPatches(AddonPatches p, String problemText) {
    return new ConnectView(url, lastProbeAt, lastProbeLatencyMs, p, problemText);
  }
}
