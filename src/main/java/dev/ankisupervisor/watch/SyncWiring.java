package dev.ankisupervisor.watch;

import dev.ankisupervisor.ankiconnect.AnkiConnectClient;
import dev.ankisupervisor.ankiconnect.AnkiConnectEndpoint;
import dev.ankisupervisor.config.SupervisorSettings;
import dev.ankisupervisor.model.SyncOutcome;
import dev.ankisupervisor.os.Scheduler;
import dev.ankisupervisor.status.StatusPublisher;
import dev.ankisupervisor.status.SyncView;
import dev.ankisupervisor.sync.SyncLoop;
import dev.ankisupervisor.sync.SyncResult;
import dev.ankisupervisor.sync.SyncRunner;
import dev.ankisupervisor.sync.SyncSnapshot;
import dev.ankisupervisor.sync.SyncTrigger;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plugs the sync loop (at start, each interval, on demand, with backoff) and the patch check at ready (A4) into the
 * supervisor's {@link SyncHooks}. One {@link SyncLoop} per run (it is single-use): started at the
 * first READY; at a later READY (after an Anki restart) the runner has forgotten the add-on, the
 * patch check asks apiReflect again, and a startup sync is requested. Stopped for good at STOPPING,
 * before Anki gets SIGTERM. Every sync snapshot becomes the status file's {@code sync} object.
 *
 * <p>Threading: the hooks are called on the supervisor thread and only hand work to the
 * {@code anki-ready} thread (apiReflect, loop start) or read volatile state; syncs run on the loop's
 * own {@code sync} thread. {@link #requestManualSync} may be called from any thread (SIGUSR1).
 */
public final class SyncWiring implements SyncHooks {
  private static final Logger LOG = LoggerFactory.getLogger(SyncWiring.class);

  private final SupervisorSettings settings;
  private final ReadyCheck readyCheck;
  private final SyncRunner.Options options;
  private final Clock clock;
  private final SyncLoop loop;
  /** apiReflect and the loop start at READY, off the supervisor thread. */
  private final ExecutorService readyThread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "anki-ready");
    t.setDaemon(true);
    return t;
  });
  /** The runner for the current endpoint; replaced when the endpoint changes (a new bind address). */
  private volatile SyncRunner runner;
  /** The endpoint {@link #runner} talks to; touched on the anki-ready thread only. */
  private AnkiConnectEndpoint runnerEndpoint;
  /** Whether the loop was started; set on the anki-ready thread, read anywhere. */
  private volatile boolean loopStarted;
  /**
   * Whether the last sync ended without Anki answering in time (timeout, anki_unavailable). Then a
   * sync in flight no longer shields liveness misses (A3 says a sync blocks AnkiConnect, but a hung
   * Anki also fails every sync: with syncs back to back, the misses would never count and a hung Anki would never be restarted).
   * Cleared by any other outcome and at each READY (a new Anki).
   */
  private volatile boolean ankiSilentInLastSync;
  /** A manual request not yet handed to the loop (one made before the first READY waits for it). */
  private final AtomicBoolean manualPending = new AtomicBoolean();

  SyncWiring(SupervisorSettings settings, StatusPublisher publisher, SyncRunner.Options options, Clock clock,
      Duration probeTimeout) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.options = Objects.requireNonNull(options, "options");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.readyCheck = new ReadyCheck(ReadyCheck.neededBy(settings), publisher, probeTimeout);
    this.loop = new SyncLoop(this::syncOnce, settings.sync().interval(), settings.sync().onStart(), clock,
        Scheduler.newThread("sync"), s -> publisher.update(d -> d.withSync(toView(s))));
  }

  /** The production wiring: default sync timeouts (C2's networkTimeout 60 s plus a margin), system clock. */
  public static SyncWiring create(SupervisorSettings settings, StatusPublisher publisher) {
    return new SyncWiring(settings, publisher, SyncRunner.Options.DEFAULT, Clock.systemUTC(), Duration.ofSeconds(10));
  }

  /** SIGUSR1 / {@code sync-now}: one sync soon, never overlapping a running one (the loop's single thread). */
  public void requestManualSync() {
    manualPending.set(true);
    if (loopStarted) {
      handOverManual();
    } else {
      LOG.info("manual sync request kept until Anki is ready (the sync loop starts then)");
    }
  }

  /** Passes a pending manual request to the loop exactly once, whichever thread gets here first. */
  private void handOverManual() {
    if (manualPending.getAndSet(false)) {
      loop.requestNow(SyncTrigger.MANUAL);
    }
  }

  @Override
  public void onReady(AnkiConnectEndpoint endpoint) {
    try {
      readyThread.execute(() -> becameReady(endpoint));
    } catch (RejectedExecutionException e) {
      LOG.debug("ready after stop; ignored");
    }
  }

  @Override
  public void onNotReady() {
    SyncRunner r = runner;
    if (r != null) {
      r.forgetAddon(); // the next Anki may have another add-on; apiReflect is asked again
    }
  }

  @Override
  public void onStopping() {
    loop.stop();
    readyThread.shutdownNow();
  }

  @Override
  public boolean isSyncInFlight() {
    return loop.isSyncInFlight() && !ankiSilentInLastSync;
  }

  /** On the anki-ready thread. */
  private void becameReady(AnkiConnectEndpoint endpoint) {
    ankiSilentInLastSync = false;
    AnkiConnectClient client = new AnkiConnectClient(endpoint);
    if (runner == null || !endpoint.equals(runnerEndpoint)) {
      runner = new SyncRunner(client, settings.sync().url(), options, clock);
      runnerEndpoint = endpoint;
    } else {
      runner.forgetAddon();
    }
    SyncRunner current = runner;
    readyCheck.run(client).ifPresent(current::useAddon);
    if (!loopStarted) {
      loop.start();
      loopStarted = true;
      handOverManual();
    } else if (settings.sync().onStart()) {
      loop.requestNow(SyncTrigger.STARTUP);
    }
  }

  /** On the sync thread. */
  private SyncResult syncOnce(SyncTrigger trigger) {
    SyncResult result = runner.sync(trigger);
    ankiSilentInLastSync = result.outcome() == SyncOutcome.TIMEOUT || result.outcome() == SyncOutcome.ANKI_UNAVAILABLE;
    return result;
  }

  /** The status file's {@code sync} object from the loop's snapshot. */
  static SyncView toView(SyncSnapshot s) {
    return new SyncView(s.state(), s.trigger().map(SyncTrigger::statusName).orElse(null),
        s.lastAttemptAt().orElse(null), s.lastFinishedAt().orElse(null), s.lastDurationMs().orElse(null),
        s.lastSuccessAt().orElse(null), s.consecutiveFailures(), s.nextSyncAt().orElse(null), s.intervalSeconds(),
        s.fullSyncDirection().map(d -> d.statusName()).orElse(null),
        s.errorKind().map(k -> new SyncView.SyncError(k, s.errorMessage().orElse(""))).orElse(null));
  }
}
