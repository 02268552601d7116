package dev.ankisupervisor.wiring;

import dev.ankisupervisor.config.SupervisorSettings;
import dev.ankisupervisor.files.AtomicFile;
import dev.ankisupervisor.files.PidFile;
import dev.ankisupervisor.model.SupervisorState;
import dev.ankisupervisor.os.ProcFs;
import dev.ankisupervisor.os.ProcessIdentity;
import dev.ankisupervisor.os.Signals;
import dev.ankisupervisor.os.Sleeper;
import dev.ankisupervisor.prepare.StaleHolderClearer;
import dev.ankisupervisor.status.MetricsWriter;
import dev.ankisupervisor.status.StatusPublisher;
import dev.ankisupervisor.status.StatusWriter;
import dev.ankisupervisor.statusfile.StatusDocument;
import dev.ankisupervisor.sync.FullSyncCommands;
import dev.ankisupervisor.systemd.Notifier;
import dev.ankisupervisor.systemd.ServiceUnit;
import dev.ankisupervisor.systemd.Watchdog;
import dev.ankisupervisor.watch.StatusFileListener;
import dev.ankisupervisor.watch.StopSignals;
import dev.ankisupervisor.watch.Supervisor;
import dev.ankisupervisor.watch.SyncSignal;
import dev.ankisupervisor.watch.SyncWiring;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root of {@code run} and {@code demo}: builds the supervisor with the real parts,
 * plugs in the status file (and metrics file), the sync loop and the patch check at ready
 * (A4), SIGUSR1 for a manual sync with the supervisor's own pidfile
 * ({@code <state-dir>/supervisor.pid}, for {@code sync-now}), the warm-ups once Anki is first ready,
 * stops it on SIGTERM/SIGINT (or after {@code duration}) and returns when it ends. The command
 * layer has claimed the folders and checked the output files before.
 *
 * <p>Threading: {@link #supervise} blocks the calling (main) thread until the supervisor is STOPPED or
 * FAILED; by then the status file says so (written on the supervisor thread before the end).
 */
public final class RunWiring {
  private static final Logger LOG = LoggerFactory.getLogger(RunWiring.class);

  private RunWiring() {}

  /**
   * Supervises until stopped.
   *
   * @param env the environment Anki's is built from (C4 scrubbing applies), and NOTIFY_SOCKET etc.
   * @param duration stop by itself after this long (demo, tests); empty: until a signal
   * @param version the supervisor's version, for the status file
   * @throws LoggedFailure the cause of FAILED (crash loop, network not ready, a preparation error),
   *     already logged, for the exit-code mapper
   */
  public static void supervise(SupervisorSettings settings, Map<String, String> env, Optional<Duration> duration,
      String version) throws Exception {
    removeLeftovers(settings);
    superviseUntilStopped(settings, env, duration, version);
  }

  /** Temp files of ours a crash left beside the files we replace (their owners' locks are ours now). */
  private static void removeLeftovers(SupervisorSettings settings) {
    java.util.List<Path> targets = new java.util.ArrayList<>(java.util.List.of(settings.statusFile(),
        settings.pidFile(), settings.supervisorPidFile()));
    settings.metricsFile().ifPresent(targets::add);
    for (Path target : targets) {
      try {
        AtomicFile.removeLeftovers(target).forEach(p -> LOG.info("removed {}, left by an interrupted run", p));
      } catch (IOException e) {
        LOG.warn("cannot remove temp files left beside {}: {}", target, e.getMessage());
      }
    }
  }

  private static void superviseUntilStopped(SupervisorSettings settings, Map<String, String> env,
      Optional<Duration> duration, String version) throws Exception {
    ProcessIdentity self = ProcessIdentity.current();
    long pid = self.pid();
    Clock clock = Clock.systemUTC();
    StatusPublisher publisher = new StatusPublisher(
        StatusDocument.initial(settings, self, version, clock.instant()),
        new StatusWriter(settings.statusFile()), settings.metricsFile().map(MetricsWriter::new), clock);
    publisher.publishLater(); // the JSON machinery loads on its own thread while Anki is prepared
    try (Notifier notifier = Notifier.fromEnvironment(env)) {
      Optional<Duration> watchdog = Watchdog.pingInterval(env, pid);
      Supervisor supervisor = Supervisor.create(settings, notifier, watchdog, env);
      supervisor.lookAhead(); // the lock table's read (it waits in the kernel) beside the wiring below
      if (watchdog.isPresent()) {
        onFirstReady(supervisor, "signals-preload", Signals::preload);
      }
      onFirstReady(supervisor, "relaunch-warm-up", () -> warmRelaunchPath(settings, supervisor));
      SyncWiring sync = SyncWiring.create(settings, publisher, new FullSyncCommands(ServiceUnit.current(env)));
      supervisor.addListener(new StatusFileListener(publisher));
      ArchiveReadyMark.fromProperty(System.getProperty(ArchiveReadyMark.PROPERTY)).ifPresent(supervisor::addListener);
      supervisor.setSyncHooks(sync);
      StopSignals.install(supervisor::requestStop);
      // SIGUSR1's default action kills the JVM: the handler goes in before the pidfile names us.
      SyncSignal.install(sync::requestManualSync);
      PidFile pidFile = new PidFile(settings.supervisorPidFile());
      writePidFile(pidFile, self);
      // Recreate what is ours if the state folder is deleted while we run (at the next change).
      supervisor.addListener((before, now) -> {
        if (!Files.exists(pidFile.path())) {
          LOG.warn("the supervisor pidfile {} is gone (state folder deleted?); writing it again", pidFile.path());
          writePidFile(pidFile, self);
        }
      });
      duration.ifPresent(d -> stopAfter(supervisor, d));
      try {
        supervisor.start().get();
      } catch (ExecutionException | CompletionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        if (cause instanceof Exception ex) {
          throw new LoggedFailure(ex); // the supervisor logged it as it gave up
        }
        throw (Error) cause;
      } finally {
        deletePidFile(pidFile);
      }
    }
  }

  /**
   * Runs {@code task} on a daemon thread of its own once Anki is first ready, off the path to the
   * spawn. Under systemd's watchdog the supervisor thread must never stall, yet the first signal it
   * sends (a stop, a hung Anki) would load jnr-posix on that thread: so Signals is preloaded this way.
   */
  private static void onFirstReady(Supervisor supervisor, String threadName, Runnable task) {
    AtomicBoolean started = new AtomicBoolean();
    supervisor.addListener((before, now) -> {
      if (now.state() == SupervisorState.READY && started.compareAndSet(false, true)) {
        Thread t = new Thread(task, threadName);
        t.setDaemon(true);
        t.start();
      }
    });
  }

  /**
   * The read-only looks of a relaunch after a crash (stale holders, the process group), once, so
   * the first relaunch does not load and spin up their code (nor does any later start: the
   * class-data archive is written at exit with what was loaded).
   */
  private static void warmRelaunchPath(SupervisorSettings settings, Supervisor supervisor) {
    try {
      new StaleHolderClearer().holdersNow(settings.anki(), InetAddress.getLoopbackAddress(),
          settings.connect().port());
      supervisor.snapshot().ankiPid().ifPresent(pid -> ProcFs.system().groupMembers(pid));
    } catch (Exception e) {
      // a relaunch meets it again and reports it
    }
  }

  private static void writePidFile(PidFile file, ProcessIdentity self) {
    try {
      file.write(self);
    } catch (IOException e) {
      LOG.error("could not write the supervisor pidfile {} ({}); `anki-supervisor sync-now` cannot find this"
          + " supervisor (SIGUSR1 still works); make --state-dir writable", file.path(), e.getMessage());
    }
  }

  private static void deletePidFile(PidFile file) {
    try {
      file.delete();
    } catch (IOException e) {
      LOG.warn("could not remove the supervisor pidfile {}: {}", file.path(), e.getMessage());
    }
  }

  private static void stopAfter(Supervisor supervisor, Duration d) {
    Thread t = new Thread(() -> {
      try {
        Sleeper.system().sleep(d);
        LOG.info("--duration {} is over; stopping", d);
        supervisor.requestStop();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "duration");
    t.setDaemon(true);
    t.start();
  }
}
