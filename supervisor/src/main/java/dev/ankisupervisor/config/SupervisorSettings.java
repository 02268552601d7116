package dev.ankisupervisor.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything {@code run} needs, checked once when built (the commands build it from flags,
 * environment and config file), then trusted. Its paths are absolute ({@link StartFolder}): the
 * state folder becomes Anki's TMPDIR, and Anki does not run in our working folder.
 *
 * @param stateDir where the pidfile and private TMPDIRs live (systemd's StateDirectory/RuntimeDirectory)
 * @param statusFile sync-status.json
 * @param metricsFile optional Prometheus textfile
 * @param startTimeout launch -> ready before diagnosing and restarting (default 180 s)
 * @param stopTimeout SIGTERM -> SIGKILL (default 60 s, C6)
 * @param networkTimeout how long to wait for the bind address (default 120 s)
 * @param livenessInterval between `version` probes (default 30 s)
 * @param livenessMisses misses in a row that mean a hang (default 3)
 */
public record SupervisorSettings(
    AnkiSettings anki,
    ConnectSettings connect,
    SyncSettings sync,
    RestartSettings restart,
    Path stateDir,
    Path statusFile,
    Optional<Path> metricsFile,
    Duration startTimeout,
    Duration stopTimeout,
    Duration networkTimeout,
    Duration livenessInterval,
    int livenessMisses) {
  public SupervisorSettings {
    Objects.requireNonNull(anki, "anki");
    Objects.requireNonNull(connect, "connect");
    Objects.requireNonNull(sync, "sync");
    Objects.requireNonNull(restart, "restart");
    stateDir = StartFolder.resolve(Objects.requireNonNull(stateDir, "stateDir"));
    statusFile = StartFolder.resolve(Objects.requireNonNull(statusFile, "statusFile"));
    metricsFile = Objects.requireNonNull(metricsFile, "metricsFile").map(StartFolder::resolve);
    positive("start timeout", startTimeout);
    positive("stop timeout", stopTimeout);
    positive("network timeout", networkTimeout);
    positive("liveness interval", livenessInterval);
    if (livenessMisses < 1) {
      throw new IllegalArgumentException("liveness misses must be >= 1, found " + livenessMisses);
    }
  }

  /** The supervised Anki's pidfile ({@code <state-dir>/anki.pid}). */
  public Path pidFile() {
    return StateFiles.ankiPidFile(stateDir);
  }

  /** The supervisor's own pidfile ({@code <state-dir>/supervisor.pid}), which {@code sync-now} reads. */
  public Path supervisorPidFile() {
    return StateFiles.supervisorPidFile(stateDir);
  }

  private static void positive(String what, Duration d) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be > 0, found " + d);
    }
  }
}
