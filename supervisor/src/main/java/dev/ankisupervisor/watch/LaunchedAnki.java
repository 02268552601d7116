package dev.ankisupervisor.watch;

import dev.ankisupervisor.ankiconnect.AnkiConnectEndpoint;
import dev.ankisupervisor.os.ExitStatus;
import dev.ankisupervisor.os.Scheduler;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One launch of Anki and everything that belongs to it: the child process, the timers that watch it
 * (start timeout, SIGKILL deadline after SIGTERM), its round of readiness and liveness probes, and,
 * when it is ended on purpose, why ({@link EndReason}). It ends the child on its own findings (start
 * timeout, hung, address changed) or when told to ({@link #stop}, {@link #kill}), and reports to
 * {@link Events}; the {@link Supervisor} decides what comes next (READY, back off, restart, stop).
 *
 * <p>Threading: supervisor thread only; the exit, timers and probe results arrive there as tasks.
 * One-shot: once its exit was seen or it was killed it is closed: its timers and probes are cancelled
 * and it reports nothing more.
 */
final class LaunchedAnki {
  private static final Logger LOG = LoggerFactory.getLogger(LaunchedAnki.class);
  /** Why SIGTERM may not be enough when the supervisor ends Anki on a finding (log text). */
  private static final String ENDING_MAY_TAKE = "(a dialog, a hang or a big collection)";
  /** Why SIGTERM may not be enough when the supervisor stops (log text). */
  private static final String STOPPING_MAY_TAKE = "(a dialog or a big collection)";

  /**
   * What the supervisor hears about this launch, on the supervisor thread; nothing after it closed.
   *
   * @param ready {@code deckNames} answered: Anki is ready (liveness is watched from then on)
   * @param answered a liveness probe answered
   * @param startTimedOut not ready within the start timeout: the diagnosis (already logged); Anki is
   *     killed next
   * @param exited the child exited and whatever was left of its group was killed; the launch is closed
   */
  record Events(Consumer<ProbeResult> ready, Consumer<ProbeResult> answered, Consumer<String> startTimedOut,
      Consumer<ExitStatus> exited) {}

  private final AnkiProcess process;
  /** The bind address this launch uses (the probes check it has not changed). */
  private final InetAddress address;
  /** Where its AnkiConnect answers. */
  private final AnkiConnectEndpoint endpoint;
  private final WatchSettings settings;
  private final SupervisorThread thread;
  /** The supervisor's probes; this launch runs one round of them. */
  private final AnkiProbes probes;

  private Events events;
  /** Why it was ended on purpose; null while it runs or when it ended by itself. */
  private EndReason endedBecause;
  /** The start timeout, until Anki is ready. */
  private Scheduler.Scheduled startTimeout;
  /** The SIGKILL deadlines after SIGTERM. */
  private final List<Scheduler.Scheduled> killDeadlines = new ArrayList<>();
  /** Its exit was seen or it was killed: nothing more is done or reported. */
  private boolean closed;

  LaunchedAnki(AnkiProcess process, InetAddress address, AnkiConnectEndpoint endpoint, WatchSettings settings,
      SupervisorThread thread, AnkiProbes probes) {
    this.process = process;
    this.address = address;
    this.endpoint = endpoint;
    this.settings = settings;
    this.thread = thread;
    this.probes = probes;
  }

  /** Starts watching: its exit, the start timeout and the readiness probes. Call once. */
  void watch(Events to) {
    if (events != null) {
      throw new IllegalStateException("Anki pid " + pid() + " is watched already");
    }
    events = to;
    process.onExit().whenComplete((info, t) -> thread.submit(() -> onExit(info != null ? info : ExitStatus.exited(-1))));
    startTimeout = thread.after(settings.startTimeout(), this::onStartTimeout);
    probes.awaitReady(address, new AnkiProbes.Findings(this::onReady, to.answered(),
        message -> end(EndReason.HUNG, message), message -> end(EndReason.ADDRESS_CHANGED, message),
        message -> end(EndReason.ADDRESS_GONE, message)));
  }

  long pid() {
    return process.pid();
  }

  AnkiConnectEndpoint endpoint() {
    return endpoint;
  }

  /** Why it was ended on purpose; null when it ended by itself. */
  EndReason endReason() {
    return endedBecause;
  }

  /** What Anki's output named as the cause of its end (C9), when it ended by itself; read after the exit. */
  Optional<String> diagnosis() {
    return endedBecause != null ? Optional.empty() : process.diagnosis();
  }

  /**
   * A clean stop: SIGTERM, then SIGKILL to the tree if it has not exited within the stop timeout (C6).
   * An earlier deadline (a hung Anki's) is dropped: the stop timeout counts from this SIGTERM.
   */
  void stop() {
    cancelTimers();
    terminate(STOPPING_MAY_TAKE);
  }

  /** SIGKILL to the tree at once, and closes: its exit is not reported. */
  void kill() {
    close();
    process.killTree();
  }

  private void onReady(ProbeResult r) {
    startTimeout.cancel();
    events.ready().accept(r);
    probes.watchLiveness();
  }

  private void onStartTimeout() {
    String why = StartDiagnosis.explain(probes.lastReadiness(), settings.startTimeout(), endpoint.url(),
        settings.profile());
    LOG.error(why);
    events.startTimedOut().accept(why);
    end(EndReason.START_TIMEOUT, null);
  }

  /** Ends the child on a finding; its exit is then reported with {@code reason}. */
  private void end(EndReason reason, String message) {
    if (closed) {
      return;
    }
    endedBecause = reason;
    if (message != null) {
      LOG.warn("{}; ending Anki pid {}", message, pid());
    }
    if (reason.killsAtOnce()) {
      process.killTree();
    } else {
      terminate(ENDING_MAY_TAKE);
    }
  }

  /** SIGTERM now, SIGKILL to the tree if it is still running after the stop timeout (C6). */
  private void terminate(String mayTake) {
    LOG.info("sending SIGTERM to Anki pid {}; SIGKILL after {} s", pid(), settings.stopTimeout().toSeconds());
    process.terminate();
    killDeadlines.add(thread.after(settings.stopTimeout(), () -> {
      if (!closed) {
        LOG.warn("Anki pid {} did not exit within {} s of SIGTERM {}; sending SIGKILL to its tree", pid(),
            settings.stopTimeout().toSeconds(), mayTake);
        process.killTree();
      }
    }));
  }

  private void onExit(ExitStatus info) {
    if (closed) {
      return;
    }
    close();
    // Whatever is left of its group (QtWebEngine helpers) goes before any relaunch.
    process.killTree();
    events.exited().accept(info);
  }

  private void cancelTimers() {
    probes.stop();
    if (startTimeout != null) {
      startTimeout.cancel();
    }
    killDeadlines.forEach(Scheduler.Scheduled::cancel);
    killDeadlines.clear();
  }

  private void close() {
    closed = true;
    cancelTimers();
  }

  @Override
  public String toString() {
    return "LaunchedAnki[pid " + pid() + (closed ? ", closed" : "") + "]";
  }
}
