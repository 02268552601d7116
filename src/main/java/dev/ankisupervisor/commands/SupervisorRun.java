package dev.ankisupervisor.commands;

import dev.ankisupervisor.config.SupervisorSettings;
import dev.ankisupervisor.systemd.Notifier;
import dev.ankisupervisor.systemd.Watchdog;
import dev.ankisupervisor.watch.StopSignals;
import dev.ankisupervisor.watch.Supervisor;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one code path of {@code run} and {@code demo}: builds the supervisor with the real parts,
 * plugs in the listeners, stops it on SIGTERM/SIGINT (or after {@code duration}) and returns when
 * it ends.
 *
 * <p>Threading: {@link #run} blocks the calling (main) thread until the supervisor is STOPPED or
 * FAILED.
 */
final class SupervisorRun {
  private static final Logger LOG = LoggerFactory.getLogger(SupervisorRun.class);

  private SupervisorRun() {}

  /**
   * Supervises until stopped.
   *
   * @param duration stop by itself after this long (demo, tests); empty: until a signal
   * @return 0 once stopped cleanly
   * @throws Exception the cause of FAILED (crash loop, network not ready, a preparation error), for the
   *     exit-code mapper
   */
  static int run(SupervisorSettings settings, Map<String, String> env, Optional<Duration> duration) throws Exception {
    try (Notifier notifier = Notifier.fromEnvironment(env)) {
      Supervisor supervisor = Supervisor.create(settings, notifier,
          Watchdog.pingInterval(env, ProcessHandle.current().pid()));
      // Issue 4 plugs in here: supervisor.addListener(statusFileWriter) and
      // supervisor.setSyncHooks(syncLoop) (started on READY, stopped on STOPPING).
      StopSignals.install(supervisor::requestStop);
      duration.ifPresent(d -> stopAfter(supervisor, d));
      try {
        supervisor.start().get();
        return ExitCode.OK.code();
      } catch (ExecutionException | CompletionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        if (cause instanceof Exception ex) {
          throw ex;
        }
        throw (Error) cause;
      }
    }
  }

  private static void stopAfter(Supervisor supervisor, Duration d) {
    Thread t = new Thread(() -> {
      try {
        Thread.sleep(d.toMillis());
        LOG.info("--duration {} ms is over; stopping", d.toMillis());
        supervisor.requestStop();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "duration");
    t.setDaemon(true);
    t.start();
  }
}
