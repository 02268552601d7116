package dev.ankisupervisor.watch;

import dev.ankisupervisor.model.SyncOutcome;
import dev.ankisupervisor.sync.SyncLoop;
import dev.ankisupervisor.sync.SyncResult;

/**
 * Whether a missed liveness probe counts toward "Anki looks hung", given the syncs: the one place
 * for that rule. A sync blocks AnkiConnect (A3), so a miss while a sync runs does not count. But a
 * hung Anki also fails every sync, and with syncs back to back its misses would never count and it
 * would never be restarted: so once a sync ended with Anki silent (timeout, anki_unavailable), a
 * running sync excuses nothing until another outcome or a new Anki ({@link #newAnki}).
 *
 * <pre>{@code
 * SyncLoop loop = new SyncLoop(rule.watching(runner::sync), ...);   // the rule sees every sync
 * LivenessMissRule.Probe p = rule.probeStarts();                   // as a liveness probe starts
 * if (probeMissed && p.missCounts()) misses++;                     // asked once, when it missed
 * }</pre>
 *
 * <p>Threading: the watched syncs run on the sync thread; {@link #newAnki} and the probes are called
 * on the supervisor thread. State is two volatile fields; nothing blocks.
 */
public final class LivenessMissRule {
  /** For a supervisor without a sync loop: every miss counts. */
  static final LivenessMissRule WITHOUT_SYNCS = new LivenessMissRule();

  /** Whether a watched sync is running now. */
  private volatile boolean syncInFlight;
  /** Whether the last watched sync ended without Anki answering in time; cleared by {@link #newAnki}. */
  private volatile boolean ankiSilentInLastSync;

  /** Wraps the loop's sync action so the rule sees each sync start and end, and its outcome. */
  public SyncLoop.SyncAction watching(SyncLoop.SyncAction sync) {
    return trigger -> {
      syncInFlight = true;
      try {
        SyncResult result = sync.run(trigger);
        ankiSilentInLastSync = result.outcome() == SyncOutcome.TIMEOUT
            || result.outcome() == SyncOutcome.ANKI_UNAVAILABLE;
        return result;
      } finally {
        syncInFlight = false;
      }
    };
  }

  /** A new Anki is ready: the last Anki's silence says nothing about it. */
  void newAnki() {
    ankiSilentInLastSync = false;
  }

  /** Call as a liveness probe starts; ask the result once the probe missed. */
  Probe probeStarts() {
    return new Probe(excusesMissesNow());
  }

  private boolean excusesMissesNow() {
    return syncInFlight && !ankiSilentInLastSync;
  }

  /** One liveness probe, from its start. */
  final class Probe {
    /** Whether a sync that excuses misses was running as the probe started. */
    private final boolean excusedAtStart;

    private Probe(boolean excusedAtStart) {
      this.excusedAtStart = excusedAtStart;
    }

    /** Whether this probe's miss counts: not when a sync that excuses misses ran as it started or as it ended. */
    boolean missCounts() {
      return !excusedAtStart && !excusesMissesNow();
    }
  }
}
