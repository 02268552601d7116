package dev.ankisupervisor.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * Figures 1 and 2 for one side: start -> ready, and SIGKILL of Anki -> the new Anki ready.
 * Ready is the supervisor's own rule (deckNames answers without an error), polled by the driver
 * every {@link #POLL}. A restart counts as done at the first successful probe after at least one
 * failed probe (the killed Anki's port must have closed, so the answer comes from the new one).
 *
 * <p>Threading: the driver thread.
 */
final class StartMeasure {
  static final Duration POLL = Duration.ofMillis(10);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration AT_MOST = Duration.ofSeconds(180);

  private StartMeasure() {}

  /**
   * Start (or SIGKILL) -> ready, and -> the new stand-in process seen as the supervisor's child (-1: not
   * seen); {@code readyAt}: the wall-clock moment the driver's probe first saw {@code deckNames} answer.
   */
  record Timing(double readyMs, double spawnMs, java.time.Instant readyAt) {}

  /** Starts {@code side} and returns start -> ready in ms. */
  static double coldStartMs(Side side, int port) throws IOException, InterruptedException {
    return coldStart(side, port).readyMs();
  }

  /** Starts {@code side} and times it. */
  static Timing coldStart(Side side, int port) throws IOException, InterruptedException {
    AnkiConnectProbe probe = new AnkiConnectProbe(port, PROBE_TIMEOUT);
    if (probe.isReady()) {
      throw new IllegalStateException("port " + port + " already answers before " + side.name() + " starts");
    }
    long t0 = System.nanoTime();
    side.start();
    try (SpawnWatch spawn = new SpawnWatch(() -> side.supervisorPid().orElse(-1), -1)) {
      long t1 = probe.awaitReady(POLL, AT_MOST);
      if (t1 < 0) {
        throw new IllegalStateException(side.name() + " not ready within " + AT_MOST);
      }
      java.time.Instant at = java.time.Instant.now();
      long s = spawn.spawnedAtNanos();
      return new Timing((t1 - t0) / 1e6, s < 0 ? -1 : (s - t0) / 1e6, at);
    }
  }

  /** SIGKILLs the side's Anki and times kill -> new Anki ready, and kill -> new Anki spawned. */
  static Timing restart(Side side, int port) throws InterruptedException {
    AnkiConnectProbe probe = new AnkiConnectProbe(port, PROBE_TIMEOUT);
    OptionalLong pid = OptionalLong.empty();
    for (int i = 0; i < 500 && pid.isEmpty(); i++) {
      pid = side.ankiPid();
      Thread.sleep(10);
    }
    if (pid.isEmpty()) {
      throw new IllegalStateException(side.name() + ": no Anki pid to kill");
    }
    long sup = side.supervisorPid().orElse(-1);
    SpawnWatch spawn = new SpawnWatch(() -> sup, pid.getAsLong());
    long t0 = System.nanoTime();
    ProcStat.signal(pid.getAsLong(), "KILL");
    try (spawn) {
      return awaitNewReady(side, probe, t0, spawn);
    }
  }

  private static Timing awaitNewReady(Side side, AnkiConnectProbe probe, long t0, SpawnWatch spawn)
      throws InterruptedException {
    boolean sawDown = false;
    long deadline = t0 + AT_MOST.toNanos();
    while (System.nanoTime() < deadline) {
      boolean ok = probe.isReady();
      if (!ok) {
        sawDown = true;
      } else if (sawDown) {
        long t1 = System.nanoTime();
        java.time.Instant at = java.time.Instant.now();
        long s = spawn.spawnedAtNanos();
        return new Timing((t1 - t0) / 1e6, s < 0 ? -1 : (s - t0) / 1e6, at);
      }
      Thread.sleep(POLL.toMillis());
    }
    throw new IllegalStateException(side.name() + ": no new Anki ready within " + AT_MOST + " after SIGKILL");
  }
}
