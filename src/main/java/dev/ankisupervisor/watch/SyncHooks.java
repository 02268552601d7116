package dev.ankisupervisor.watch;

import dev.ankisupervisor.ankiconnect.AnkiConnectEndpoint;

/**
 * The seam where the sync loop plugs into the supervisor: started when Anki becomes
 * READY, paused when Anki leaves READY (restart), stopped for good at STOPPING. Also tells the
 * liveness check whether a sync is in flight, because a sync blocks AnkiConnect (A3) and misses
 * then do not count.
 *
 * <p>Threading: every method is called on the supervisor thread and must return quickly (start or
 * stop the loop's own thread, do not sync here). {@link #isSyncInFlight()} must be a cheap read.
 */
public interface SyncHooks {
  /** Does nothing; no sync is ever in flight. The default until a sync loop is set. */
  SyncHooks NONE = new SyncHooks() {};

  /** Anki just became READY at {@code endpoint}: start (or resume) the sync loop. */
  default void onReady(AnkiConnectEndpoint endpoint) {}

  /** Anki left READY (it is being restarted): pause the loop; a running sync will fail and be classified. */
  default void onNotReady() {}

  /** The supervisor is stopping for good: stop the loop (before Anki gets SIGTERM). */
  default void onStopping() {}

  /** Whether a sync is running right now (liveness misses then do not count, A3). */
  default boolean isSyncInFlight() {
    return false;
  }
}
