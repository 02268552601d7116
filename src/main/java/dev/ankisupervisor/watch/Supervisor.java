package dev.ankisupervisor.watch;

import dev.ankisupervisor.prepare.ForeignHolderException;
import dev.ankisupervisor.systemd.Notifier;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one headless Anki running (issue 3, steps 5-12): waits for the network, prepares, launches,
 * declares READY when {@code deckNames} answers and watches liveness (both probed by {@link AnkiProbes}),
 * restarts with backoff, gives up
 * on a crash loop, and stops cleanly on request. Its life is {@link SupervisorState}; every change is
 * published as a {@link SupervisorSnapshot} to the {@link SupervisorListener}s.
 *
 * <pre>{@code
 * Supervisor s = Supervisor.create(settings, notifier, System.getenv());
 * s.addListener(statusWriter);           // before start
 * s.setSyncHooks(syncLoop);              // issue 4: started on READY, stopped on STOPPING
 * StopSignals.install(s::requestStop);   // SIGTERM/SIGINT
 * s.start().join();                      // completes on STOPPED; exceptionally on FAILED
 * }</pre>
 *
 * <p>Threading: one single-thread scheduler named {@code supervisor} owns the Anki process, the
 * state and the restart counts; every field below the line is touched only there. Exit
 * completions, probes, timers and signal handlers only submit tasks to it. Blocking steps (network
 * wait, prepare, probes) run on a second thread, {@code supervisor-io}, whose results are submitted
 * back tagged with a generation, so a result of an earlier launch is dropped. {@link #start},
 * {@link #requestStop}, {@link #snapshot} and {@link #addListener} may be called from any thread.
 */
public final class Supervisor {
  private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);

  private final WatchSettings settings;
  private final AnkiSteps steps;
  private final Notifier notifier;
  private final RestartPolicy policy;
  /** Monotonic nanos for durations (ready time, crash-loop window). */
  private final LongSupplier ticker;
  /** Wall clock for snapshot timestamps. */
  private final Clock clock;
  /** The {@code supervisor} thread (owns everything below the line) and its I/O helper. */
  private final SupervisorThread thread;
  private final Lifecycle lifecycle;
  /** Completes when STOPPED, exceptionally (with the cause) when FAILED. */
  private final CompletableFuture<Void> finished = new CompletableFuture<>();
  /** The sync loop's seam; set before start. */
  private volatile SyncHooks sync = SyncHooks.NONE;

  // ---- owned by the supervisor thread ----
  /** Bumped on each launch attempt and on stop/fail: results of older work are dropped. */
  private int generation;
  /** The running Anki, or null. */
  private AnkiProcess child;
  /** The address the current launch uses. */
  private InetAddress address;
  /** Why we ended the child ourselves (hung, start timeout, address changed); null when it ended by itself. */
  private String endedBecause;
  /** Whether that ending counts as a failure for the restart policy (an address change does not). */
  private boolean endingCounts = true;
  /** Readiness and liveness probes of the current launch. */
  private final AnkiProbes probes;
  /** Failures, their times and the last ready time, for the restart policy. */
  private final RestartTracker restarts;
  /** Anki was ready at least once in this run: a foreign port/lock holder is then a passing state (issue 7). */
  private boolean everReady;
  /** What Anki's output said about its last failure (C9), for the crash-loop message; null when nothing known. */
  private String lastDiagnosis;
  /** Timers of the current launch (start timeout, probes, kill deadline, relaunch). */
  private final List<ScheduledFuture<?>> timers = new ArrayList<>();

  Supervisor(WatchSettings settings, AnkiSteps steps, Notifier notifier, RestartPolicy policy,
      LongSupplier ticker, Clock clock) {
    this.settings = settings;
    this.steps = steps;
    this.notifier = notifier;
    this.policy = policy;
    this.ticker = ticker;
    this.clock = clock;
    this.lifecycle = new Lifecycle(SupervisorSnapshot.initial(settings.profile()));
    this.restarts = new RestartTracker(policy);
    this.thread = new SupervisorThread(this::fail);
    this.probes = new AnkiProbes(settings, steps, thread, () -> sync);
  }

  /** A supervisor using the real prepare/launch steps, the system clocks, no jitter. */
  public static Supervisor create(dev.ankisupervisor.config.SupervisorSettings settings, Notifier notifier,
      Optional<Duration> watchdogInterval) {
    return create(settings, notifier, watchdogInterval, System.getenv());
  }

  /** As above; Anki's environment is built from {@code env} (C4 scrubbing applies) instead of ours. */
  public static Supervisor create(dev.ankisupervisor.config.SupervisorSettings settings, Notifier notifier,
      Optional<Duration> watchdogInterval, java.util.Map<String, String> env) {
    return new Supervisor(WatchSettings.of(settings, watchdogInterval), new RealAnkiSteps(settings, env, System::nanoTime), notifier,
        new RestartPolicy(settings.restart()), System::nanoTime, Clock.systemUTC());
  }

  /** Adds a listener told of every snapshot change, on the supervisor thread. Add before {@link #start}. */
  public void addListener(SupervisorListener listener) {
    lifecycle.addListener(listener);
  }

  /** Plugs in the sync loop (issue 4). Set before {@link #start}. */
  public void setSyncHooks(SyncHooks hooks) {
    this.sync = hooks;
  }

  /** The latest snapshot; never blocks. */
  public SupervisorSnapshot snapshot() {
    return lifecycle.snapshot();
  }

  /** Starts supervising; the future completes on STOPPED and fails with the cause on FAILED. */
  public CompletableFuture<Void> start() {
    submit(this::begin);
    return finished;
  }

  /** The same future {@link #start} returned. */
  public CompletableFuture<Void> finished() {
    return finished;
  }

  /** Asks for a clean stop (step 12); any thread, any number of times. */
  public void requestStop() {
    submit(this::beginStop);
  }

  // ---- supervisor thread from here on ----

  private void begin() {
    settings.watchdogInterval().ifPresent(every -> {
      LOG.info("systemd watchdog: WATCHDOG=1 every {} ms", every.toMillis());
      thread.every(Duration.ZERO, every, notifier::watchdog);
    });
    thread.every(settings.extendInterval(), settings.extendInterval(), this::extendWhileBusy);
    lifecycle.moveTo(SupervisorState.WAITING_FOR_NETWORK, "first launch");
    awaitNetwork();
  }

  /** Keeps systemd's start/stop job timeout from firing while we legitimately wait (steps 5, 8, 12). */
  private void extendWhileBusy() {
    SupervisorState s = lifecycle.state();
    if (s == SupervisorState.WAITING_FOR_NETWORK || s == SupervisorState.STARTING || s == SupervisorState.STOPPING) {
      notifier.extendTimeout(settings.extendBy());
    }
  }

  private void awaitNetwork() {
    int gen = ++generation;
    notifier.status("waiting for the network (bind address)");
    notifier.extendTimeout(settings.extendBy());
    offload(() -> steps.awaitAddress(settings.networkTimeout(), line -> submit(() -> notifier.status(line))),
        (addr, err) -> onAddress(gen, addr, err));
  }

  private void onAddress(int gen, InetAddress addr, Throwable err) {
    if (gen != generation || lifecycle.state() != SupervisorState.WAITING_FOR_NETWORK) {
      return;
    }
    if (err != null) {
      fail(err);
      return;
    }
    address = addr;
    String url = steps.endpointFor(addr).url();
    lifecycle.moveTo(SupervisorState.STARTING, "bind address " + addr.getHostAddress(), s -> s.withAnkiConnectUrl(url));
    notifier.status("starting Anki (profile " + settings.profile() + ", AnkiConnect " + url + ")");
    offload(() -> {
      steps.prepare(addr);
      return null;
    }, (ignored, e) -> onPrepared(gen, e));
  }

  private void onPrepared(int gen, Throwable err) {
    if (gen != generation || lifecycle.state() != SupervisorState.STARTING) {
      return;
    }
    Throwable cause = err instanceof CompletionException && err.getCause() != null
        ? err.getCause() : err;
    if (cause instanceof ForeignHolderException && everReady) {
      // Issue 7: a stray process grabbed the port (or lock) between a crash and the relaunch. At the
      // first start it is the machine's setup (exit 78); once Anki has run here it may go away, so
      // report it, count a failed start and try again (the crash-loop limit still ends it: 69).
      LOG.error("{}; not starting Anki now, retrying after the restart delay", cause.getMessage());
      lastDiagnosis = null;
      backOff(new LastExit(clock.instant(), OptionalInt.empty(), Optional.empty(),
          "port or lock held by another process"), false);
      return;
    }
    if (err != null) {
      fail(err);
      return;
    }
    AnkiProcess launched;
    try {
      launched = steps.launch(address);
    } catch (Exception e) {
      fail(e);
      return;
    }
    child = launched;
    LOG.info("launched Anki pid {} (profile {})", launched.pid(), settings.profile());
    lifecycle.update(s -> s.withAnkiPid(OptionalLong.of(launched.pid())));
    launched.onExit().whenComplete((info, t) ->
        submit(() -> onExit(launched, info != null ? info : new AnkiProcess.ExitInfo(-1, null))));
    timers.add(after(settings.startTimeout(), () -> onStartTimeout(gen)));
    probes.awaitReady(address, new AnkiProbes.Findings() {
      @Override
      public void ready(ProbeResult r) {
        becomeReady(r);
      }

      @Override
      public void answered(ProbeResult r) {
        lifecycle.update(s -> s.withProbe(clock.instant(), r.latency()));
      }

      @Override
      public void hung(String message) {
        endChild("hung", true, message);
      }

      @Override
      public void addressChanged(InetAddress now, String message) {
        endChild("address changed", false, message);
      }
    });
  }

  private void becomeReady(ProbeResult r) {
    restarts.markReady(ticker.getAsLong());
    everReady = true;
    var endpoint = steps.endpointFor(address);
    lifecycle.moveTo(SupervisorState.READY, "deckNames answered in " + r.latency().toMillis() + " ms",
        s -> s.withReadySince(clock.instant()).withProbe(clock.instant(), r.latency()).withFailureReason(Optional.empty()));
    notifier.ready("ready: AnkiConnect at " + endpoint.url() + " (profile " + settings.profile() + ", Anki pid "
        + child.pid() + ")");
    // The sync loop's seam (issue 4): started here, paused in onExit, stopped in beginStop.
    sync.onReady(endpoint);
    probes.watchLiveness();
  }

  private void onStartTimeout(int gen) {
    if (gen != generation || lifecycle.state() != SupervisorState.STARTING || child == null) {
      return;
    }
    String why = StartDiagnosis.explain(probes.lastReadiness(), settings.startTimeout(), steps.endpointFor(address).url(),
        settings.profile());
    LOG.error(why);
    lifecycle.update(s -> s.withFailureReason(Optional.of(why)));
    endChild("start timeout", true, null);
  }

  /** Ends the current child ourselves; {@link #onExit} then restarts it. */
  private void endChild(String reason, boolean counts, String message) {
    AnkiProcess c = child;
    if (c == null) {
      return;
    }
    endedBecause = reason;
    endingCounts = counts;
    if (message != null) {
      LOG.warn("{}; ending Anki pid {}", message, c.pid());
    }
    if (reason.equals("start timeout")) {
      // Stuck at a dialog: no collection is open, SIGTERM may be ignored (C6), SIGKILL is safe.
      c.killTree();
      return;
    }
    c.terminate();
    timers.add(after(settings.stopTimeout(), () -> {
      if (child == c) {
        LOG.warn("Anki pid {} did not exit within {} s of SIGTERM; sending SIGKILL to its tree", c.pid(),
            settings.stopTimeout().toSeconds());
        c.killTree();
      }
    }));
  }

  private void onExit(AnkiProcess proc, AnkiProcess.ExitInfo info) {
    if (proc != child) {
      return;
    }
    cancelTimers();
    child = null;
    // Step 11: whatever is left of its group (QtWebEngine helpers) goes before any relaunch.
    proc.killTree();
    SupervisorState state = lifecycle.state();
    OptionalInt code = info.bySignal() ? OptionalInt.empty() : OptionalInt.of(info.exitCode());
    Optional<String> signal = Optional.ofNullable(info.signal());
    if (state == SupervisorState.STOPPING) {
      finishStop(new LastExit(clock.instant(), code, signal, "stopped"));
      return;
    }
    if (state.isTerminal()) {
      return;
    }
    boolean wasReady = state == SupervisorState.READY;
    boolean counts = endedBecause == null || endingCounts;
    String reason = endedBecause != null ? endedBecause : ExitKind.reasonOf(code, signal, wasReady);
    lastDiagnosis = endedBecause != null ? null : info.diagnosis();
    String hint = endedBecause != null ? "" : lastDiagnosis != null ? "; " + lastDiagnosis
        : ExitKind.hintOf(code, signal, wasReady);
    boolean endedByUs = endedBecause != null;
    endedBecause = null;
    endingCounts = true;
    LastExit exit = new LastExit(clock.instant(), code, signal, reason);
    if (!endedByUs) {
      LOG.error("Anki pid {} {}{}", proc.pid(), exit.describe(), hint);
    } else {
      LOG.warn("Anki pid {} ended ({})", proc.pid(), reason);
    }
    if (wasReady) {
      sync.onNotReady();
    }
    if (counts) {
      backOff(exit, wasReady);
    } else {
      moveToBackingOff(exit, Duration.ZERO);
    }
  }

  /** Counts a failure and backs off before the next launch, or fails for good on a crash loop. */
  private void backOff(LastExit exit, boolean wasReady) {
    Optional<Duration> next = restarts.recordFailure(ticker.getAsLong(), wasReady);
    if (next.isEmpty()) {
      lifecycle.update(s -> s.withAnkiPid(OptionalLong.empty()).withLastExit(exit));
      fail(new CrashLoopException("Anki failed " + restarts.recentFailures() + " times within "
          + human(policy.settings().window()) + " (last: " + exit.describe() + "), more than --max-restarts "
          + policy.settings().maxRestarts() + "; giving up so that systemd's own restart limits apply; "
          + (lastDiagnosis != null ? lastDiagnosis
              : "fix the cause shown in Anki's log lines above, or raise --max-restarts/--restart-window")));
      return;
    }
    moveToBackingOff(exit, next.get());
  }

  private void moveToBackingOff(LastExit exit, Duration wait) {
    lifecycle.moveTo(SupervisorState.BACKING_OFF, exit.describe() + "; next launch in " + wait.toMillis() + " ms",
        s -> s.withAnkiPid(OptionalLong.empty()).withLastExit(exit).withRestarts(s.restarts() + 1));
    notifier.status("Anki " + exit.describe() + "; restarting in " + human(wait));
    int gen = ++generation;
    timers.add(after(wait, () -> relaunch(gen)));
  }

  private void relaunch(int gen) {
    if (gen != generation || lifecycle.state() != SupervisorState.BACKING_OFF) {
      return;
    }
    lifecycle.moveTo(SupervisorState.WAITING_FOR_NETWORK, "relaunching Anki");
    awaitNetwork();
  }

  private void beginStop() {
    if (lifecycle.state().isShuttingDown()) {
      return;
    }
    generation++;
    cancelTimers();
    lifecycle.moveTo(SupervisorState.STOPPING, "asked to stop");
    notifier.stopping("stopping Anki");
    // The sync loop's seam (issue 4): stopped before Anki gets SIGTERM.
    sync.onStopping();
    AnkiProcess c = child;
    if (c == null) {
      finishStop(null);
      return;
    }
    LOG.info("sending SIGTERM to Anki pid {}; SIGKILL after {} s", c.pid(), settings.stopTimeout().toSeconds());
    notifier.extendTimeout(settings.stopTimeout().plus(settings.extendBy()));
    c.terminate();
    timers.add(after(settings.stopTimeout(), () -> {
      if (child == c) {
        LOG.warn("Anki pid {} did not stop within {} s (C6: a dialog or a big collection); sending SIGKILL to its tree",
            c.pid(), settings.stopTimeout().toSeconds());
        c.killTree();
      }
    }));
  }

  private void finishStop(LastExit exit) {
    cancelTimers();
    try {
      steps.forgetPid();
    } catch (RuntimeException e) {
      LOG.warn("could not remove the pidfile: {}", e.getMessage());
    }
    lifecycle.moveTo(SupervisorState.STOPPED, exit == null ? "no Anki was running" : "Anki exited cleanly",
        s -> exit == null ? s.withAnkiPid(OptionalLong.empty())
            : s.withAnkiPid(OptionalLong.empty()).withLastExit(exit));
    notifier.status("stopped");
    shutdown();
    finished.complete(null);
  }

  private void fail(Throwable cause) {
    Throwable e = cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null
        ? cause.getCause() : cause;
    if (lifecycle.state().isTerminal()) {
      LOG.warn("after the end: {}", e.toString());
      return;
    }
    generation++;
    cancelTimers();
    if (child != null) {
      child.killTree();
      child = null;
    }
    sync.onStopping();
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    if (e instanceof RuntimeException || e instanceof Error) {
      LOG.error("supervisor failed: {}", message, e);
    } else {
      LOG.error("giving up: {}", message);
    }
    lifecycle.moveTo(SupervisorState.FAILED, message,
        s -> s.withAnkiPid(OptionalLong.empty()).withFailureReason(Optional.of(message)));
    notifier.status("failed: " + message);
    shutdown();
    finished.completeExceptionally(e);
  }

  private void shutdown() {
    thread.shutdown();
  }

  private void cancelTimers() {
    probes.stop();
    timers.forEach(t -> t.cancel(false));
    timers.clear();
  }

  // ---- plumbing ----

  private void submit(Runnable task) {
    thread.submit(task);
  }

  private ScheduledFuture<?> after(Duration delay, Runnable task) {
    return thread.after(delay, task);
  }

  private <T> void offload(Callable<T> work, BiConsumer<T, Throwable> then) {
    thread.offload(work, then);
  }

  static String human(Duration d) {
    if (d.toMillis() < 1000) {
      return d.toMillis() + " ms";
    }
    if (d.toSeconds() < 600) {
      return d.toSeconds() + " s";
    }
    return d.toMinutes() + " min";
  }

  @Override
  public String toString() {
    return "Supervisor[" + lifecycle.state() + "]";
  }
}
