package dev.ankisupervisor.watch;

import dev.ankisupervisor.ankiconnect.AnkiConnectEndpoint;

/**
 * The seam where the sync loop plugs into the supervisor: resumed when Anki becomes READY (at its
 * endpoint, which may differ after a restart), paused when Anki leaves READY, stopped for good at
 * STOPPING. Also hands the liveness check the rule for misses during a sync ({@link LivenessMissRule},
 * A3: a sync blocks AnkiConnect).
 *
 * <p>Threading: every method is called on the supervisor thread and must return quickly (hand work
 * to the loop's own thread, do not sync here).
 */
public interface SyncHooks {
  /** Does nothing; no sync ever runs. The default until a sync loop is set. */
  SyncHooks NONE = new SyncHooks() {};

  /** Anki just became READY at {@code endpoint}: resume the sync loop (the first time: start it). */
  default void onReady(AnkiConnectEndpoint endpoint) {}

  /** Anki left READY (it is being restarted): pause the loop; a running sync will fail and be classified. */
  default void onNotReady() {}

  /** The supervisor is stopping for good: stop the loop (before Anki gets SIGTERM). */
  default void onStopping() {}

  /** Whether a liveness miss counts while syncs run; the same object for the whole run. */
  default LivenessMissRule livenessMisses() {
    return LivenessMissRule.WITHOUT_SYNCS;
  }
}
