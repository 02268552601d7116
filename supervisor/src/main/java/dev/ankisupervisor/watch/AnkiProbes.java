package dev.ankisupervisor.watch;

import dev.ankisupervisor.os.Scheduler;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes the current Anki (readiness, liveness and the bind-address check): polls {@code deckNames}
 * until it answers (readiness, A4; when: {@link ReadyPollSchedule}), then probes {@code version} every liveness interval, counting
 * misses in a row as far as {@link LivenessMissRule} lets them count (A3: a sync blocks AnkiConnect),
 * and checks that the bind address has not changed. It only reports what it found; the supervisor decides.
 *
 * <p>Threading: every method is called on the supervisor thread, and {@link Findings} are called
 * there too; the probes themselves run on {@code supervisor-io} through the {@link SupervisorThread}.
 * Each {@link #awaitReady} starts a round; {@link #stop} ends it, and results of an ended round are
 * dropped.
 */
final class AnkiProbes {
  private static final Logger LOG = LoggerFactory.getLogger(AnkiProbes.class);

  /**
   * Who hears what the probes found, for the round they were started for; called on the supervisor
   * thread.
   *
   * @param ready {@code deckNames} answered: Anki is ready; call {@link #watchLiveness()} once READY
   * @param answered a liveness probe answered
   * @param hung {@code version} missed too many times in a row: Anki looks hung (the message says so)
   * @param addressChanged the bind address changed (the message says from what to what)
   * @param addressGone the bind address is gone and AnkiConnect does not answer (the message says so)
   */
  record Findings(Consumer<ProbeResult> ready, Consumer<ProbeResult> answered, Consumer<String> hung,
      Consumer<String> addressChanged, Consumer<String> addressGone) {}

  private final WatchSettings settings;
  private final AnkiSteps steps;
  private final SupervisorThread thread;
  /** The sync loop's seam, for its liveness rule (it is set before the supervisor starts). */
  private final Supplier<SyncHooks> sync;
  /** Monotonic nanos, for the readiness schedule's "since the launch". */
  private final LongSupplier ticker;

  // ---- owned by the supervisor thread ----
  /** Bumped by awaitReady and stop: results of an older round are dropped. */
  private int round;
  /** The address this round probes. */
  private InetAddress address;
  private Findings findings;
  /** When this round began (ticker nanos) and when its next readiness poll is due. */
  private long roundStart;
  private ReadyPollSchedule readyPolls;
  /** The last readiness probe, for the start-timeout diagnosis. */
  private ProbeResult lastReadiness;
  /** Liveness misses in a row. */
  private int misses;
  /** The next poll or probe of this round, if one waits. */
  private Scheduler.Scheduled next;

  AnkiProbes(WatchSettings settings, AnkiSteps steps, SupervisorThread thread, Supplier<SyncHooks> sync,
      LongSupplier ticker) {
    this.settings = settings;
    this.steps = steps;
    this.thread = thread;
    this.sync = sync;
    this.ticker = ticker;
  }

  /** Starts a round for a freshly launched Anki at {@code addr}: polls deckNames until it answers. */
  void awaitReady(InetAddress addr, Findings f) {
    stop();
    address = addr;
    findings = f;
    misses = 0;
    lastReadiness = new ProbeResult(ProbeResult.Kind.NO_PORT, Duration.ZERO, "not probed yet");
    roundStart = ticker.getAsLong();
    readyPolls = new ReadyPollSchedule(settings.readyPollInterval());
    pollReadiness(round);
  }

  /** Once READY: probes liveness every liveness interval until {@link #stop}. */
  void watchLiveness() {
    misses = 0;
    int r = round;
    next = thread.after(settings.livenessInterval(), () -> checkLiveness(r));
  }

  /** Ends the round: nothing more is probed or reported. Idempotent. */
  void stop() {
    round++;
    if (next != null) {
      next.cancel();
      next = null;
    }
  }

  /** The last readiness probe of this round (for the start-timeout diagnosis). */
  ProbeResult lastReadiness() {
    return lastReadiness;
  }

  private void pollReadiness(int r) {
    InetAddress addr = address;
    thread.offload(() -> steps.probe(addr, "deckNames", settings.probeTimeout()),
        (result, e) -> onReadiness(r, result != null ? result : failed("deckNames", e)));
  }

  /**
   * A probe that threw (an Error such as OutOfMemoryError included) is a failed probe, logged with
   * its cause: probing goes on, and misses count as for any other failure; it never ends quietly.
   */
  private static ProbeResult failed(String action, Throwable e) {
    String what = e == null ? "no result" : e.toString();
    LOG.error("the {} probe failed unexpectedly ({}); counted as a failed probe", action, what, e);
    return new ProbeResult(ProbeResult.Kind.ERROR, Duration.ZERO, action + " probe failed: " + what);
  }

  private void onReadiness(int r, ProbeResult result) {
    if (r != round) {
      return;
    }
    lastReadiness = result;
    if (result.isOk()) {
      findings.ready().accept(result);
    } else {
      Duration wait = readyPolls.next(Duration.ofNanos(ticker.getAsLong() - roundStart));
      next = thread.after(wait, () -> pollReadiness(r));
    }
  }

  /** One liveness check: the probe, and the bind address now ({@code addressLooked}: whether it was looked up). */
  private record LivenessCheck(ProbeResult version, Optional<InetAddress> address, boolean addressLooked) {}

  private void checkLiveness(int r) {
    if (r != round) {
      return;
    }
    LivenessMissRule.Probe probe = sync.get().livenessMisses().probeStarts();
    InetAddress addr = address;
    thread.offload(() -> new LivenessCheck(steps.probe(addr, "version", settings.probeTimeout()), steps.currentAddress(),
        true), (check, e) -> onLiveness(r, check != null ? check
            : new LivenessCheck(failed("version", e), Optional.empty(), false), probe));
  }

  private void onLiveness(int r, LivenessCheck check, LivenessMissRule.Probe probe) {
    if (r != round) {
      return;
    }
    if (check.address().isPresent() && !check.address().get().equals(address)) {
      findings.addressChanged().accept("the bind address changed from " + address.getHostAddress()
          + " to " + check.address().get().getHostAddress() + "; restarting Anki on the new one");
      return;
    }
    ProbeResult result = check.version();
    if (!result.isOk() && check.address().isEmpty() && check.addressLooked()) {
      // Not a hang: the network is away (a Tailscale outage). Misses would end the run; waiting does not.
      findings.addressGone().accept("the bind address " + address.getHostAddress() + " is gone and AnkiConnect"
          + " does not answer (" + result.detail() + "); stopping Anki until the address is back");
      return;
    }
    if (result.isOk()) {
      misses = 0;
      findings.answered().accept(result);
    } else if (!probe.missCounts()) {
      LOG.debug("liveness probe missed during a sync ({}); not counted (AnkiConnect answers nothing else while it syncs)", result.detail());
    } else {
      misses++;
      LOG.warn("liveness probe `version` missed ({} of {} in a row): {}", misses, settings.livenessMisses(),
          result.detail());
      if (misses >= settings.livenessMisses()) {
        findings.hung().accept("AnkiConnect did not answer `version` " + misses + " times in a row (every "
            + settings.livenessInterval().toMillis() + " ms); Anki looks hung");
        return;
      }
    }
    if (r == round) {
      next = thread.after(settings.livenessInterval(), () -> checkLiveness(r));
    }
  }
}
