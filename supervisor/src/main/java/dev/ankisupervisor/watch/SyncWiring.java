package dev.ankisupervisor.watch;

import dev.ankisupervisor.ankiconnect.AnkiConnectClient;
import dev.ankisupervisor.ankiconnect.AnkiConnectEndpoint;
import dev.ankisupervisor.ankiconnect.PatchProbe;
import dev.ankisupervisor.config.SupervisorSettings;
import dev.ankisupervisor.model.SyncTrigger;
import dev.ankisupervisor.os.Scheduler;
import dev.ankisupervisor.os.Sleeper;
import dev.ankisupervisor.status.StatusPublisher;
import dev.ankisupervisor.statusfile.SyncView;
import dev.ankisupervisor.sync.FullSyncCommands;
import dev.ankisupervisor.sync.SyncLoop;
import dev.ankisupervisor.sync.SyncResult;
import dev.ankisupervisor.sync.SyncRunner;
import dev.ankisupervisor.sync.SyncSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Plugs the sync loop (at start, each interval, on demand, with backoff) and the patch check at ready (A4) into the
 * supervisor's {@link SyncHooks}. One {@link SyncLoop} for the whole run: resumed at each READY,
 * where it first makes a runner and its {@link PatchProbe} for the endpoint (new ones when the endpoint
 * changed, else the same ones with the add-on forgotten) and runs the patch check, then syncs as at the start
 * of the run; paused when Anki ends; stopped for good at STOPPING, before Anki gets SIGTERM. Every
 * sync snapshot becomes the status file's {@code sync} object, and every sync is watched by the
 * {@link LivenessMissRule}.
 *
 * <p>Threading: the hooks are called on the supervisor thread and only pause, resume or stop the
 * loop; the runner, the patch check and the syncs run on the loop's own {@code sync} thread.
 * {@link #requestManualSync} may be called from any thread (SIGUSR1).
 */
public final class SyncWiring implements SyncHooks {
  private final SupervisorSettings settings;
  private final ReadyCheck readyCheck;
  private final SyncRunner.Options options;
  private final Clock clock;
  /** The full-sync commands the sync messages name (with the service's unit, when there is one). */
  private final FullSyncCommands commands;
  private final LivenessMissRule livenessMisses = new LivenessMissRule();
  private final SyncLoop loop;

  // ---- owned by the sync thread ----
  /** The runner for the current endpoint; replaced when the endpoint changes (a new bind address). */
  private SyncRunner runner;
  /** What the add-on of the Anki {@link #runner} talks to has; forgotten at each READY. */
  private PatchProbe patches;
  /** The endpoint {@link #runner} talks to. */
  private AnkiConnectEndpoint runnerEndpoint;

  SyncWiring(SupervisorSettings settings, StatusPublisher publisher, SyncRunner.Options options, Clock clock,
      FullSyncCommands commands) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.options = Objects.requireNonNull(options, "options");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.commands = Objects.requireNonNull(commands, "commands");
    this.readyCheck = new ReadyCheck(ReadyCheck.neededBy(settings), publisher);
    this.loop = new SyncLoop(livenessMisses.watching(this::syncOnce), settings.sync().interval(),
        settings.sync().onStart(), clock, Sleeper.system()::nanos, Scheduler.newThread("sync"),
        s -> publisher.update(d -> d.withSync(toView(s))));
    // misses never count while a sync runs: after one that found Anki silent, room for enough probes
    loop.gapAfterSilence(settings.livenessInterval().multipliedBy(settings.livenessMisses() + 1L));
  }

  /**
   * The production wiring: default sync timeouts (C2's networkTimeout 60 s plus a margin), system
   * clock, and the full-sync commands to suggest.
   */
  public static SyncWiring create(SupervisorSettings settings, StatusPublisher publisher, FullSyncCommands commands) {
    return new SyncWiring(settings, publisher, SyncRunner.Options.DEFAULT, Clock.systemUTC(), commands);
  }

  /**
   * SIGUSR1 / {@code sync-now}: one sync soon, never overlapping a running one (the loop's single
   * thread); while Anki is not ready, kept until it is.
   */
  public void requestManualSync() {
    loop.requestNow(SyncTrigger.MANUAL);
  }

  @Override
  public void onReady(AnkiConnectEndpoint endpoint) {
    loop.resume(() -> prepareFor(endpoint));
  }

  @Override
  public void onNotReady() {
    loop.pause();
  }

  @Override
  public void onStopping() {
    loop.stop();
  }

  @Override
  public LivenessMissRule livenessMisses() {
    return livenessMisses;
  }

  /** On the sync thread, before the first sync with the Anki that became ready at {@code endpoint}. */
  private void prepareFor(AnkiConnectEndpoint endpoint) {
    if (runner == null || !endpoint.equals(runnerEndpoint)) {
      AnkiConnectClient client = new AnkiConnectClient(endpoint);
      patches = new PatchProbe(client, options.probeTimeout());
      runner = new SyncRunner(client, patches, settings.sync().url(), options, clock, commands);
      // the status file shows the bootstrap in flight (sync-now waits for it)
      runner.onBootstrapStart(() -> loop.runningAs(SyncTrigger.BOOTSTRAP));
      runnerEndpoint = endpoint;
    } else {
      patches.forget(); // the new Anki may have another add-on
    }
    readyCheck.run(patches);
  }

  /** On the sync thread. */
  private SyncResult syncOnce(SyncTrigger trigger) {
    return runner.sync(trigger);
  }

  /** The status file's {@code sync} object from the loop's snapshot. */
  static SyncView toView(SyncSnapshot s) {
    return new SyncView(s.state(), s.trigger().orElse(null),
        s.lastAttemptAt().orElse(null), s.lastFinishedAt().orElse(null), s.lastDurationMs().orElse(null),
        s.lastSuccessAt().orElse(null), s.consecutiveFailures(), s.nextSyncAt().orElse(null), s.intervalSeconds(),
        s.fullSyncDirection().orElse(null),
        s.errorKind().map(k -> new SyncView.SyncError(k, s.errorMessage().orElse(""))).orElse(null));
  }
}
