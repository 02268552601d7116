package dev.ankisupervisor.watch;

import dev.ankisupervisor.config.SupervisorSettings;
import dev.ankisupervisor.model.ExitReason;
import dev.ankisupervisor.model.HumanDuration;
import dev.ankisupervisor.model.SupervisorState;
import dev.ankisupervisor.os.ExitStatus;
import dev.ankisupervisor.os.Scheduler;
import dev.ankisupervisor.os.Sleeper;
import dev.ankisupervisor.prepare.ForeignHolderException;
import dev.ankisupervisor.prepare.NetworkNotReadyException;
import dev.ankisupervisor.prepare.PrepareException;
import dev.ankisupervisor.systemd.Notifier;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one headless Anki running: waits for the network, prepares, launches, declares READY when
 * {@code deckNames} answers and watches liveness (both probed by {@link AnkiProbes}), restarts with
 * backoff, gives up on a crash loop, and stops cleanly on request. Each launch is a
 * {@link LaunchedAnki}, which owns the child, its timers and how it is ended; the supervisor decides
 * what comes next. Its life is
 * {@link SupervisorState}; every change is published as a {@link SupervisorSnapshot} to the
 * {@link SupervisorListener}s, systemd's {@link NotifyBridge} last.
 *
 * <pre>{@code
 * Supervisor s = Supervisor.create(settings, notifier, System.getenv());
 * s.addListener(statusWriter);           // before start
 * s.setSyncHooks(syncLoop);              // resumed on READY, paused when Anki ends, stopped on STOPPING
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
  /** Between two rounds of waiting for a bind address that went away after Anki had been ready. */
  static final Duration ADDRESS_RETRY_PAUSE = Duration.ofSeconds(5);

  private final WatchSettings settings;
  private final AnkiSteps steps;
  /** Monotonic nanos for durations (ready time, crash-loop window). */
  private final LongSupplier ticker;
  /** Wall clock for snapshot timestamps. */
  private final Clock clock;
  /** The {@code supervisor} thread (owns everything below the line) and its I/O helper. */
  private final SupervisorThread thread;
  private final Lifecycle lifecycle;
  /** systemd's view of the snapshots; registered last, at start, so the status file is written first. */
  private final NotifyBridge notify;
  /** Completes when STOPPED, exceptionally (with the cause) when FAILED. */
  private final CompletableFuture<Void> finished = new CompletableFuture<>();
  /** The sync loop's seam; set before start. */
  private volatile SyncHooks sync = SyncHooks.NONE;

  // ---- owned by the supervisor thread ----
  /** Bumped on each launch attempt and on stop/fail: results of older work are dropped. */
  private int generation;
  /** The running Anki with its timers and probes, or null. */
  private LaunchedAnki child;
  /** Readiness and liveness probes, one round per launch. */
  private final AnkiProbes probes;
  /** Failures, their times and the last ready time, for the restart policy. */
  private final RestartTracker restarts;
  /** Anki was ready at least once in this run: a foreign port/lock holder is then a passing state. */
  private boolean everReady;
  /** What Anki's output said about its last failure (C9), for the crash-loop message; null when nothing known. */
  private String lastDiagnosis;
  /** The next launch while backing off, or null. */
  private Scheduler.Scheduled relaunch;

  Supervisor(WatchSettings settings, AnkiSteps steps, Notifier notifier, RestartPolicy policy,
      LongSupplier ticker, Clock clock, Scheduler loop, Scheduler io) {
    this.settings = settings;
    this.steps = steps;
    this.ticker = ticker;
    this.clock = clock;
    this.lifecycle = new Lifecycle(SupervisorSnapshot.initial(settings.profile()));
    this.restarts = new RestartTracker(policy);
    this.thread = new SupervisorThread(loop, io, this::fail);
    this.notify = new NotifyBridge(notifier, settings, thread);
    this.probes = new AnkiProbes(settings, steps, thread, () -> sync, ticker);
  }

  /**
   * A supervisor using the real prepare/launch steps, the system clocks, no jitter; Anki's
   * environment is built from {@code env} (C4 scrubbing applies).
   */
  public static Supervisor create(SupervisorSettings settings, Notifier notifier, Optional<Duration> watchdogInterval,
      Map<String, String> env) {
    return new Supervisor(WatchSettings.of(settings, watchdogInterval), new RealAnkiSteps(settings, env,
        Sleeper.system()::nanos), notifier, new RestartPolicy(settings.restart()), Sleeper.system()::nanos,
        Clock.systemUTC(), Scheduler.newThread("supervisor"), Scheduler.newThread("supervisor-io"));
  }

  /** Adds a listener told of every snapshot change, on the supervisor thread. Add before {@link #start}. */
  public void addListener(SupervisorListener listener) {
    lifecycle.addListener(listener);
  }

  /** Plugs in the sync loop. Set before {@link #start}. */
  public void setSyncHooks(SyncHooks hooks) {
    this.sync = hooks;
  }

  /** The latest snapshot; never blocks. */
  public SupervisorSnapshot snapshot() {
    return lifecycle.snapshot();
  }

  /**
   * Starts the first launch's read-only looks ({@link AnkiSteps#lookAhead}: the lock table, whose read
   * waits in the kernel) on the I/O thread now, while the caller finishes its wiring before
   * {@link #start}. Any thread.
   */
  public void lookAhead() {
    thread.offload(() -> {
      steps.lookAhead();
      return null;
    }, (ignored, lookFailed) -> {});
  }

  /** Starts supervising; the future completes on STOPPED and fails with the cause on FAILED. */
  public CompletableFuture<Void> start() {
    lifecycle.addListener(notify);
    thread.submit(this::begin);
    return finished;
  }

  /** The same future {@link #start} returned. */
  public CompletableFuture<Void> finished() {
    return finished;
  }

  /** Asks for a clean stop; any thread, any number of times. */
  public void requestStop() {
    thread.submit(this::beginStop);
  }

  // ---- supervisor thread from here on ----

  private void begin() {
    settings.watchdogInterval().ifPresent(every -> {
      LOG.info("systemd watchdog: WATCHDOG=1 every {} ms", every.toMillis());
      thread.every(Duration.ZERO, every, notify::watchdog);
    });
    lifecycle.moveTo(SupervisorState.WAITING_FOR_NETWORK, "first launch");
    awaitNetwork();
  }

  private void awaitNetwork() {
    int gen = ++generation;
    thread.offload(() -> steps.awaitAddress(settings.networkTimeout(), line -> thread.submit(() -> notify.progress(line))),
        (addr, err) -> onAddress(gen, addr, err));
  }

  private void onAddress(int gen, InetAddress addr, Throwable err) {
    if (gen != generation || lifecycle.state() != SupervisorState.WAITING_FOR_NETWORK) {
      return;
    }
    if (unwrap(err) instanceof NetworkNotReadyException gone && everReady) {
      // Anki has run here: the address went away (a Tailscale outage), it is no setup error. Exiting
      // would soon reach systemd's start limit and stay failed; Anki stays stopped until it is back.
      String why = gone.getMessage() + "; Anki stays stopped, waiting for the bind address again";
      LOG.warn(why);
      lifecycle.update(s -> s.withFailureReason(Optional.of(why)));
      // a pause between rounds: with a network timeout of 0 the wait would end at once, every time
      relaunch = thread.after(ADDRESS_RETRY_PAUSE, () -> {
        if (gen == generation && lifecycle.state() == SupervisorState.WAITING_FOR_NETWORK) {
          awaitNetwork();
        }
      });
      return;
    }
    if (err != null) {
      fail(err);
      return;
    }
    String url = steps.endpointFor(addr).url();
    lifecycle.moveTo(SupervisorState.STARTING, "bind address " + addr.getHostAddress(), s -> s.withAnkiConnectUrl(url));
    // Preparing reads and writes files; one that never answers must not keep the start (and systemd's
    // extended start timeout) going for ever: the limit covers stopping a stale Anki, then a start.
    Duration limit = settings.startTimeout().plus(settings.stopTimeout());
    Scheduler.Scheduled deadline = thread.after(limit, () -> prepareTooSlow(gen, limit));
    thread.offload(() -> {
      steps.prepare(addr);
      return null;
    }, (ignored, e) -> {
      deadline.cancel();
      onPrepared(gen, addr, e);
    });
  }

  private void prepareTooSlow(int gen, Duration limit) {
    if (gen == generation && lifecycle.state() == SupervisorState.STARTING && child == null) {
      fail(new PrepareException(PrepareException.Kind.IO, "preparing the base folder did not finish within "
          + HumanDuration.of(limit) + " (--start-timeout + --stop-timeout): a file that never answers (a hung network"
          + " file system, a FIFO?); Anki was not started; see the last files the log names, and `jstack` the"
          + " supervisor-io thread"));
    }
  }

  private void onPrepared(int gen, InetAddress addr, Throwable err) {
    if (gen != generation || lifecycle.state() != SupervisorState.STARTING) {
      return;
    }
    if (unwrap(err) instanceof ForeignHolderException foreign && everReady) {
      // A stray process grabbed the port (or lock) between a crash and the relaunch. At the first
      // start it is the machine's setup (exit 78); once Anki has run here it may go away, so report
      // it, count a failed start and try again (the crash-loop limit still ends it: 69).
      LOG.error("{}; not starting Anki now, retrying after the restart delay", foreign.getMessage());
      lastDiagnosis = null;
      backOff(new LastExit(clock.instant(), OptionalInt.empty(), Optional.empty(), ExitReason.PORT_OR_LOCK_HELD),
          false);
      return;
    }
    if (err != null) {
      fail(err);
      return;
    }
    AnkiProcess process;
    try {
      process = steps.launch(addr);
    } catch (Exception e) {
      fail(e);
      return;
    }
    // The relaunch's read-only looks start on the idle I/O thread the moment the exit is seen, beside
    // this thread's handling of it (the exit's look at the process group, the log, the state changes).
    process.onExit().whenComplete((exited, exitError) -> {
      if (!lifecycle.state().isShuttingDown()) {
        lookAhead();
      }
    });
    LaunchedAnki launched = new LaunchedAnki(process, addr, steps.endpointFor(addr), settings, thread, probes);
    child = launched;
    LOG.info("launched Anki pid {} (profile {})", launched.pid(), settings.profile());
    lifecycle.update(s -> s.withAnkiPid(OptionalLong.of(launched.pid())));
    launched.watch(new LaunchedAnki.Events(this::becomeReady,
        r -> lifecycle.update(s -> s.withProbe(clock.instant(), r.latency())),
        why -> lifecycle.update(s -> s.withFailureReason(Optional.of(why))),
        info -> onExit(launched, info)));
  }

  private void becomeReady(ProbeResult r) {
    restarts.markReady(ticker.getAsLong());
    everReady = true;
    lifecycle.moveTo(SupervisorState.READY, "deckNames answered in " + r.latency().toMillis() + " ms",
        s -> s.withReadySince(clock.instant()).withProbe(clock.instant(), r.latency()).withFailureReason(Optional.empty()));
    // The sync loop's seam: resumed here, paused in onExit, stopped in beginStop.
    sync.onReady(child.endpoint());
  }

  /** The launch is over: its timers and probes are cancelled and what was left of its group killed. */
  private void onExit(LaunchedAnki ended, ExitStatus info) {
    child = null;
    SupervisorState state = lifecycle.state();
    OptionalInt code = info.exitCode();
    Optional<String> signal = info.signalName();
    if (state == SupervisorState.STOPPING) {
      finishStop(new LastExit(clock.instant(), code, signal, ExitReason.STOPPED));
      return;
    }
    if (state.isTerminal()) {
      return;
    }
    boolean wasReady = state == SupervisorState.READY;
    EndReason ours = ended.endReason();
    lastDiagnosis = ended.diagnosis().orElse(null);
    LastExit exit = ExitKind.lastExit(clock.instant(), code, signal, ours, wasReady);
    ExitKind.log(ended.pid(), exit, ours, wasReady, Optional.ofNullable(lastDiagnosis));
    if (wasReady) {
      sync.onNotReady();
    }
    if (ours == null || ours.countsAsFailure()) {
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
      fail(restarts.crashLoop(exit, Optional.ofNullable(lastDiagnosis)));
      return;
    }
    moveToBackingOff(exit, next.get());
  }

  private void moveToBackingOff(LastExit exit, Duration wait) {
    lifecycle.moveTo(SupervisorState.BACKING_OFF, exit.describe() + "; next launch in " + wait.toMillis() + " ms",
        s -> s.withAnkiPid(OptionalLong.empty()).withLastExit(exit).withRestarts(s.restarts() + 1)
            .withRestartDelay(wait));
    int gen = ++generation;
    relaunch = thread.after(wait, () -> relaunch(gen));
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
    cancelRelaunch();
    lifecycle.moveTo(SupervisorState.STOPPING, "asked to stop");
    // The sync loop's seam: stopped before Anki gets SIGTERM.
    sync.onStopping();
    if (child == null) {
      finishStop(null);
    } else {
      child.stop();
    }
  }

  private void finishStop(LastExit exit) {
    cancelRelaunch();
    try {
      steps.forgetPid();
    } catch (RuntimeException e) {
      LOG.warn("could not remove the pidfile: {}", e.getMessage());
    }
    lifecycle.moveTo(SupervisorState.STOPPED, exit == null ? "no Anki was running" : "Anki exited cleanly",
        s -> exit == null ? s.withAnkiPid(OptionalLong.empty())
            : s.withAnkiPid(OptionalLong.empty()).withLastExit(exit));
    thread.shutdown();
    finished.complete(null);
  }

  private void fail(Throwable cause) {
    Throwable e = unwrap(cause);
    if (lifecycle.state().isTerminal()) {
      LOG.warn("after the end: {}", e.toString());
      return;
    }
    generation++;
    cancelRelaunch();
    if (child != null) {
      child.kill();
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
    thread.shutdown();
    finished.completeExceptionally(e);
  }

  private void cancelRelaunch() {
    if (relaunch != null) {
      relaunch.cancel();
      relaunch = null;
    }
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  @Override
  public String toString() {
    return "Supervisor[" + lifecycle.state() + "]";
  }
}
