package dev.ankisupervisor.watch;

import dev.ankisupervisor.sync.SyncLoop;

/**
 * Whether a missed liveness probe counts toward "Anki looks hung", given the syncs: the one place
 * for that rule. A sync blocks AnkiConnect (A3) for as long as it runs, and a full sync of a big
 * collection runs for minutes, so a miss while a sync runs never counts: the probe started or
 * ended during a sync. A hung Anki is still caught: a sync against it ends at its call timeout, and
 * after a sync that found Anki silent the loop waits (liveness misses + 1) liveness intervals before
 * the next one ({@code SyncLoop.gapAfterSilence}), so enough misses count in between.
 *
 * <pre>{@code
 * SyncLoop loop = new SyncLoop(rule.watching(runner::sync), ...);   // the rule sees every sync
 * LivenessMissRule.Probe p = rule.probeStarts();                   // as a liveness probe starts
 * if (probeMissed && p.missCounts()) misses++;                     // asked once, when it missed
 * }</pre>
 *
 * <p>Threading: the watched syncs run on the sync thread; the probes are called on the supervisor
 * thread. State is one volatile field; nothing blocks.
 */
public final class LivenessMissRule {
  /** For a supervisor without a sync loop: every miss counts. */
  static final LivenessMissRule WITHOUT_SYNCS = new LivenessMissRule();

  /** Whether a watched sync is running now. */
  private volatile boolean syncInFlight;

  /** Wraps the loop's sync action so the rule sees each sync start and end. */
  public SyncLoop.SyncAction watching(SyncLoop.SyncAction sync) {
    return trigger -> {
      syncInFlight = true;
      try {
        return sync.run(trigger);
      } finally {
        syncInFlight = false;
      }
    };
  }

  /** Call as a liveness probe starts; ask the result once the probe missed. */
  Probe probeStarts() {
    return new Probe(syncInFlight);
  }

  /** One liveness probe, from its start. */
  final class Probe {
    /** Whether a sync was running as the probe started. */
    private final boolean syncAtStart;

    private Probe(boolean syncAtStart) {
      this.syncAtStart = syncAtStart;
    }

    /** Whether this probe's miss counts: not when a sync ran as it started or as it ended. */
    boolean missCounts() {
      return !syncAtStart && !syncInFlight;
    }
  }
}
