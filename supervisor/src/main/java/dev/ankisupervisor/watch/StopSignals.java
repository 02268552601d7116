package dev.ankisupervisor.watch;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Turns SIGTERM, SIGINT and SIGHUP to the supervisor into a stop request. SIGHUP stops cleanly like
 * SIGTERM (there is nothing to reload: every setting is read once at start, and a changed setting
 * needs a restart); its default action would end the JVM at once and leave Anki orphaned. A signal
 * handler instead of a shutdown hook, so the JVM is not already exiting: the supervisor gets its
 * full stop timeout and the process exits 0, not 143.
 *
 * <p>Threading: the JVM calls the handler on its own signal thread; the handler only calls
 * {@code onStop} (which must merely submit a task).
 */
public final class StopSignals {
  private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);
  private static final List<String> NAMES = List.of("TERM", "INT", "HUP");

  private StopSignals() {}

  /** Installs the handlers; each signal calls {@code onStop}. */
  public static void install(Runnable onStop) {
    for (String name : NAMES) {
      Signal.handle(new Signal(name), sig -> {
        LOG.info("received SIG{}; stopping", sig.getName());
        onStop.run();
      });
    }
  }
}
