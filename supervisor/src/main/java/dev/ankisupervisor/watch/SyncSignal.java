package dev.ankisupervisor.watch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Turns SIGUSR1 to the supervisor into a manual sync request (what
 * {@code anki-supervisor sync-now} sends). Install it BEFORE writing the supervisor's pidfile:
 * SIGUSR1's default action would kill the JVM.
 *
 * <p>Threading: the JVM calls the handler on its own signal thread; the handler only calls
 * {@code onRequest}, which must merely hand the request on (the sync loop coalesces it).
 */
public final class SyncSignal {
  private static final Logger LOG = LoggerFactory.getLogger(SyncSignal.class);

  private SyncSignal() {}

  /** Installs the handler; each SIGUSR1 calls {@code onRequest}. */
  public static void install(Runnable onRequest) {
    Signal.handle(new Signal("USR1"), sig -> {
      LOG.info("received SIGUSR1; requesting a sync");
      onRequest.run();
    });
  }
}
