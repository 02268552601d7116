package dev.ankisupervisor.watch;

import static dev.ankisupervisor.model.SupervisorState.BACKING_OFF;
import static dev.ankisupervisor.model.SupervisorState.FAILED;
import static dev.ankisupervisor.model.SupervisorState.PREPARING;
import static dev.ankisupervisor.model.SupervisorState.READY;
import static dev.ankisupervisor.model.SupervisorState.STARTING;
import static dev.ankisupervisor.model.SupervisorState.STOPPED;
import static dev.ankisupervisor.model.SupervisorState.STOPPING;
import static dev.ankisupervisor.model.SupervisorState.WAITING_FOR_NETWORK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ankisupervisor.config.RestartSettings;
import dev.ankisupervisor.launch.ChromiumSandbox;
import dev.ankisupervisor.model.ExitReason;
import dev.ankisupervisor.model.SupervisorState;
import dev.ankisupervisor.model.SyncOutcome;
import dev.ankisupervisor.model.SyncTrigger;
import dev.ankisupervisor.os.ProcessIdentity;
import dev.ankisupervisor.prepare.ForeignHolderException;
import dev.ankisupervisor.prepare.PrepareException;
import dev.ankisupervisor.sync.SyncResult;
import dev.ankisupervisor.systemd.Notifier;
import dev.ankisupervisor.systemd.NotifyListener;
import dev.ankisupervisor.prepare.NetworkNotReadyException;
import dev.ankisupervisor.testing.FakeTime;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor's state machine against fake processes and probes (no real processes), on fake
 * time: the supervisor thread and its I/O thread are one {@link FakeTime} the test advances, so
 * every timer (restart delay, start timeout, liveness interval, stop timeout) fires exactly when the
 * test says, without sleeping.
 */
class SupervisorTest {
  private static final Instant T0 = Instant.parse("2026-11-26T09:00:00Z");
  private final FakeTime time = new FakeTime(T0);
  private final FakeSteps steps;
  private final RecordingListener recorder = new RecordingListener();
  private Supervisor supervisor;
  private Notifier notifier = Notifier.disabled();

  SupervisorTest() throws Exception {
    steps = new FakeSteps();
  }

  /** Restart delays 10, 20, 40 ms; stop timeout 300 ms; liveness every 20 ms; readiness polled every 10 ms. */
  private Supervisor start(int maxRestarts, Duration startTimeout, int livenessMisses) {
    RestartSettings restart = new RestartSettings(Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofMinutes(10),
        maxRestarts, Duration.ofMinutes(10));
    return start(restart, new WatchSettings("server", restart, startTimeout, Duration.ofMillis(300),
        Duration.ofSeconds(5), Duration.ofMillis(20), livenessMisses, Duration.ofMillis(10), Duration.ofMillis(100),
        Duration.ofSeconds(5), Optional.empty()), SyncHooks.NONE);
  }

  private Supervisor start(RestartSettings restart, WatchSettings settings, SyncHooks sync) {
    supervisor = new Supervisor(settings, steps, notifier, new RestartPolicy(restart), time::nanos, time, time, time);
    supervisor.addListener(recorder);
    supervisor.setSyncHooks(sync);
    supervisor.start();
    time.runDue();
    return supervisor;
  }

  @AfterEach
  void stop() {
    if (supervisor != null) {
      supervisor.requestStop();
      time.advance(Duration.ofSeconds(1));
    }
  }

  private SupervisorState state() {
    return supervisor.snapshot().state();
  }

  @Test
  void normalLifeGoesThroughEveryStateInOrder() {
    start(5, Duration.ofSeconds(10), 3);
    assertThat(state()).isEqualTo(READY);
    assertThat(supervisor.snapshot().ankiPid()).hasValue(1000);
    assertThat(supervisor.snapshot().readySince()).hasValue(T0);
    assertThat(supervisor.snapshot().ankiConnectUrl()).hasValue("http://100.64.0.1:8765/");
    supervisor.requestStop();
    time.runDue();
    assertThat(supervisor.finished()).isCompleted();
    assertThat(recorder.states()).containsExactly(PREPARING, WAITING_FOR_NETWORK, STARTING, READY, STOPPING, STOPPED);
    assertThat(steps.last().terms.get()).isEqualTo(1);
    assertThat(steps.forgotPid.get()).isEqualTo(1);
    assertThat(supervisor.snapshot().ankiPid()).isEmpty();
  }

  @Test
  void systemdHearsEachStateFromTheSnapshots(@TempDir Path dir) throws Exception {
    try (NotifyListener systemd = new NotifyListener(dir.resolve("notify.sock").toString())) {
      notifier = Notifier.to(systemd.socketName());
      start(5, Duration.ofSeconds(10), 3);
      steps.last().crash();
      time.advance(Duration.ofMillis(10));
      supervisor.requestStop();
      time.runDue();
      await().atMost(Duration.ofSeconds(30)).until(() -> systemd.assignments().contains("STATUS=stopped"));
      assertThat(systemd.assignments()).containsSubsequence(
          "STATUS=waiting for the network (bind address)",
          "STATUS=starting Anki (profile server, AnkiConnect http://100.64.0.1:8765/)",
          "READY=1", "STATUS=ready: AnkiConnect at http://100.64.0.1:8765/ (profile server, Anki pid 1000)",
          "STATUS=Anki crashed (SIGABRT); restarting in 0s",
          "STATUS=waiting for the network (bind address)",
          "STOPPING=1", "STATUS=stopping Anki", "STATUS=stopped");
    } finally {
      notifier.close();
    }
  }

  @Test
  void startsAreExtendedEveryIntervalWhileAReadySupervisorHasOnlyItsProbeTimer(@TempDir Path dir) throws Exception {
    try (NotifyListener systemd = new NotifyListener(dir.resolve("notify.sock").toString())) {
      notifier = Notifier.to(systemd.socketName());
      steps.deckNames.set(ProbeResult.Kind.NO_PORT);
      start(5, Duration.ofSeconds(60), 3);
      assertThat(state()).isEqualTo(STARTING);
      time.advance(Duration.ofSeconds(12));
      // One on entering WAITING_FOR_NETWORK, then the timer's at 5 s and 10 s (extension interval 5 s).
      await().atMost(Duration.ofSeconds(30)).until(() -> extensions(systemd) == 3);
      steps.deckNames.set(ProbeResult.Kind.OK);
      time.advance(Duration.ofMillis(10));
      assertThat(state()).isEqualTo(READY);
      time.advance(Duration.ofSeconds(60)); // the start timeout's timer comes and goes
      assertThat(state()).isEqualTo(READY);
      assertThat(time.pending()).as("only the next liveness probe is scheduled").isEqualTo(1);
      supervisor.requestStop();
      time.runDue();
      await().atMost(Duration.ofSeconds(30)).until(() -> systemd.assignments().contains("STATUS=stopped"));
      assertThat(extensions(systemd)).as("no extension while ready; one for the stop").isEqualTo(4);
    } finally {
      notifier.close();
    }
  }

  private static long extensions(NotifyListener systemd) {
    return systemd.assignments().stream().filter(a -> a.startsWith("EXTEND_TIMEOUT_USEC=")).count();
  }

  @Test
  void crashedAnkiIsRestartedAfterBackingOff() {
    start(5, Duration.ofSeconds(10), 3);
    steps.last().crash();
    time.runDue();
    // +0 ms: a ready Anki that crashed is relaunched at once, and is ready again
    assertThat(steps.launched).hasSize(2);
    assertThat(recorder.states()).containsExactly(PREPARING, WAITING_FOR_NETWORK, STARTING, READY,
        BACKING_OFF, WAITING_FOR_NETWORK, STARTING, READY);
    SupervisorSnapshot s = supervisor.snapshot();
    assertThat(s.restarts()).isEqualTo(1);
    assertThat(s.lastExit()).hasValueSatisfying(e -> {
      assertThat(e.reason()).isEqualTo(ExitReason.CRASHED);
      assertThat(e.signal()).hasValue("SIGABRT");
    });
  }

  @Test
  void foreignPortHolderAtFirstStartFailsButAtARelaunchIsRetried() {
    ForeignHolderException stray = new ForeignHolderException(
        new ProcessIdentity(4242, 1, Instant.EPOCH, List.of("python3", "-m", "http.server")),
        "port 8765 on 100.64.0.1 is held by pid 4242 (python3 -m http.server); stop it or set --connect-port");
    start(5, Duration.ofSeconds(10), 3);
    // A stray grabs the port between a crash and the relaunch, for two attempts, then goes.
    steps.prepareFailure.set(stray);
    steps.prepareFailuresLeft.set(2);
    steps.last().crash();
    time.advance(Duration.ofSeconds(1));
    assertThat(steps.launched).hasSize(2);
    assertThat(recorder.states()).containsExactly(PREPARING, WAITING_FOR_NETWORK, STARTING, READY,
        BACKING_OFF, WAITING_FOR_NETWORK, STARTING, BACKING_OFF, WAITING_FOR_NETWORK, STARTING,
        BACKING_OFF, WAITING_FOR_NETWORK, STARTING, READY);
    assertThat(supervisor.snapshot().restarts()).isEqualTo(3);
  }

  @Test
  void foreignPortHolderAtTheFirstStartIsAConfigurationError() {
    steps.prepareFailure.set(new ForeignHolderException(
        new ProcessIdentity(4242, 1, Instant.EPOCH, List.of("nc", "-l")), "port 8765 is held by pid 4242 (nc -l)"));
    steps.prepareFailuresLeft.set(1);
    start(5, Duration.ofSeconds(10), 3);
    assertThat(state()).isEqualTo(FAILED);
    assertThat(supervisor.finished()).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(ForeignHolderException.class);
    assertThat(steps.launched).isEmpty();
  }

  @Test
  void aPrepareThatNeverFinishesEndsTheStartInsteadOfStartingForever() {
    // start timeout 10 s + stop timeout 300 ms: preparing "hangs" for an hour of fake time
    steps.duringPrepare.set(() -> time.advance(Duration.ofHours(1)));
    start(5, Duration.ofSeconds(10), 3);
    assertThat(state()).isEqualTo(FAILED);
    assertThat(supervisor.finished()).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(PrepareException.class).withMessageContaining("did not finish within").withMessageContaining("--start-timeout + --stop-timeout");
    assertThat(steps.launched).isEmpty();
    assertThat(recorder.states()).containsExactly(PREPARING, WAITING_FOR_NETWORK, STARTING, FAILED);
  }

  @Test
  void aSlowButFinishingPrepareStillLaunches() {
    steps.duringPrepare.set(() -> time.advance(Duration.ofSeconds(9)));
    start(5, Duration.ofSeconds(10), 3);
    time.advance(Duration.ofSeconds(1));
    assertThat(state()).isEqualTo(READY);
    assertThat(steps.launched).hasSize(1);
  }

  @Test
  void quickExitZeroBeforeReadyCountsAsAFailure() {
    steps.deckNames.set(ProbeResult.Kind.NO_PORT);
    start(5, Duration.ofSeconds(10), 3);
    assertThat(state()).isEqualTo(STARTING);
    assertThat(steps.launched).hasSize(1);
    steps.last().exitWith(0);
    time.advance(Duration.ofMillis(10));
    assertThat(steps.launched).hasSize(2);
    assertThat(supervisor.snapshot().lastExit()).hasValueSatisfying(e -> assertThat(e.reason()).isEqualTo(ExitReason.EXITED_BEFORE_READY));
  }

  @Test
  void moreFailuresThanAllowedEndInFailedWithACrashLoop() {
    start(2, Duration.ofSeconds(10), 3);
    for (int i = 1; i <= 3; i++) {
      assertThat(steps.launched).hasSize(i);
      assertThat(state()).isEqualTo(READY);
      steps.last().crash();
      time.advance(Duration.ofMillis(100));
    }
    assertThat(state()).isEqualTo(FAILED);
    assertThat(supervisor.finished()).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(CrashLoopException.class).withMessageContaining("3 times");
    assertThat(supervisor.snapshot().failureReason()).hasValueSatisfying(r -> assertThat(r).contains("--max-restarts"));
    assertThat(recorder.states()).endsWith(READY, FAILED);
  }

  @Test
  void aCrashLoopWithAKnownCauseNamesItInsteadOfTheGenericAdvice() {
    steps.deckNames.set(ProbeResult.Kind.NO_PORT);
    start(1, Duration.ofSeconds(10), 3);
    String c9 = ChromiumSandbox.refusalDiagnosis();
    for (int i = 1; i <= 2; i++) {
      assertThat(steps.launched).hasSize(i);
      assertThat(state()).isEqualTo(STARTING);
      steps.last().exitWith(1, c9);
      time.advance(Duration.ofMillis(100));
    }
    assertThat(state()).isEqualTo(FAILED);
    assertThat(supervisor.snapshot().failureReason()).hasValueSatisfying(r -> assertThat(r)
        .contains("Chromium refused to run as root", "User=anki").doesNotContain("fix the cause shown in Anki's log lines above"));
  }

  @Test
  void startTimeoutKillsAndRestartsWithADiagnosis() {
    steps.deckNames.set(ProbeResult.Kind.NO_COLLECTION);
    start(5, Duration.ofMillis(200), 3);
    time.advance(Duration.ofMillis(199));
    // +199 ms: still starting, polling deckNames
    assertThat(steps.launched).hasSize(1);
    assertThat(steps.launched.get(0).kills.get()).isZero();
    time.advance(Duration.ofMillis(1));
    // +200 ms: the start timeout kills it at once (SIGKILL, no SIGTERM: it is stuck at a dialog)
    FakeSteps.FakeProcess first = steps.launched.get(0);
    assertThat(first.kills.get()).isPositive();
    assertThat(first.terms.get()).isZero();
    assertThat(supervisor.snapshot().lastExit()).hasValueSatisfying(e -> assertThat(e.reason()).isEqualTo(ExitReason.START_TIMEOUT));
    assertThat(supervisor.snapshot().failureReason()).hasValueSatisfying(r -> assertThat(r).contains("profile chooser"));
    time.advance(Duration.ofMillis(10));
    assertThat(steps.launched).hasSize(2);
  }

  @Test
  void missedLivenessProbesRestartAHungAnki() {
    start(5, Duration.ofSeconds(10), 3);
    steps.version.set(ProbeResult.Kind.TIMEOUT);
    time.advance(Duration.ofMillis(40));
    // two misses (at +20 and +40 ms) are not yet a hang
    assertThat(steps.launched.get(0).terms.get()).isZero();
    time.advance(Duration.ofMillis(20));
    // the third miss in a row is: SIGTERM
    assertThat(steps.launched.get(0).terms.get()).isEqualTo(1);
    assertThat(supervisor.snapshot().lastExit()).hasValueSatisfying(e -> assertThat(e.reason()).isEqualTo(ExitReason.HUNG));
    time.advance(Duration.ofMillis(10));
    assertThat(steps.launched).hasSize(2);
  }

  @Test
  void missesDuringASyncDoNotCount() {
    AtomicInteger readies = new AtomicInteger();
    LivenessMissRule rule = new LivenessMissRule();
    steps.version.set(ProbeResult.Kind.TIMEOUT);
    RestartSettings restart = RestartSettings.DEFAULT;
    WatchSettings settings = new WatchSettings("server", restart, Duration.ofSeconds(10), Duration.ofMillis(300),
        Duration.ofSeconds(5), Duration.ofMillis(10), 2, Duration.ofMillis(10), Duration.ofMillis(100),
        Duration.ofSeconds(5), Optional.empty());
    start(restart, settings, new SyncHooks() {
      @Override
      public void onReady(dev.ankisupervisor.ankiconnect.AnkiConnectEndpoint endpoint) {
        readies.incrementAndGet();
      }

      @Override
      public LivenessMissRule livenessMisses() {
        return rule;
      }
    });
    assertThat(readies.get()).isEqualTo(1);
    var hung = steps.last();
    rule.watching(trigger -> {
      // 30 liveness intervals pass with every probe missing, but a sync is in flight (A3).
      time.advance(Duration.ofMillis(300));
      assertThat(steps.launched).hasSize(1);
      assertThat(hung.terms.get()).isZero();
      return new SyncResult(trigger, SyncOutcome.OK, T0, T0, 0, "synced", Optional.empty());
    }).run(SyncTrigger.MANUAL);
    time.advance(Duration.ofMillis(20));
    // The sync ended: the misses count now, and the hung Anki gets SIGTERM.
    assertThat(hung.terms.get()).isEqualTo(1);
  }

  @Test
  void addressChangeRestartsWithoutCountingAFailure() throws Exception {
    start(0, Duration.ofSeconds(10), 3);
    steps.address.set(InetAddress.getByName("100.64.0.2"));
    time.advance(Duration.ofMillis(20));
    // max-restarts 0 would have failed on any counted failure; the relaunch does not wait either.
    assertThat(steps.launched).hasSize(2);
    assertThat(state()).isEqualTo(READY);
    assertThat(supervisor.snapshot().ankiConnectUrl()).hasValue("http://100.64.0.2:8765/");
    assertThat(supervisor.snapshot().lastExit()).hasValueSatisfying(e -> assertThat(e.reason()).isEqualTo(ExitReason.ADDRESS_CHANGED));
  }

  @Test
  void aBindAddressThatGoesAwayIsWaitedForWithoutEndingTheRun() throws Exception {
    start(0, Duration.ofSeconds(10), 3);
    // a Tailscale outage: the address is gone and AnkiConnect does not answer on it
    steps.awaitFailure.set(new NetworkNotReadyException("bind address not ready after 5s: interface tailscale0 not found"));
    steps.version.set(ProbeResult.Kind.NO_PORT);
    time.advance(Duration.ofMillis(20));
    // longer than many network timeouts: no exit 75, no crash loop (max-restarts 0), Anki stays stopped
    time.advance(Duration.ofMinutes(10));
    assertThat(state()).isEqualTo(WAITING_FOR_NETWORK);
    assertThat(supervisor.finished()).isNotDone();
    assertThat(steps.launched).hasSize(1);
    assertThat(supervisor.snapshot().lastExit()).hasValueSatisfying(e -> assertThat(e.reason()).isEqualTo(ExitReason.ADDRESS_GONE));
    // the address is back: Anki again
    steps.awaitFailure.set(null);
    steps.version.set(ProbeResult.Kind.OK);
    time.advance(Supervisor.ADDRESS_RETRY_PAUSE.plusMillis(20));
    assertThat(steps.launched).hasSize(2);
    assertThat(state()).isEqualTo(READY);
  }

  @Test
  void stopKillsAnAnkiThatIgnoresSigtermAfterTheStopTimeout() {
    start(5, Duration.ofSeconds(10), 3);
    steps.last().ignoreSigterm = true;
    supervisor.requestStop();
    time.advance(Duration.ofMillis(299));
    // +299 ms: SIGTERM sent and ignored; still stopping
    assertThat(steps.last().terms.get()).isEqualTo(1);
    assertThat(steps.last().kills.get()).isZero();
    assertThat(state()).isEqualTo(STOPPING);
    time.advance(Duration.ofMillis(1));
    // +300 ms (the stop timeout): SIGKILL to the tree, then STOPPED
    assertThat(steps.last().kills.get()).isPositive();
    assertThat(state()).isEqualTo(STOPPED);
    assertThat(supervisor.finished()).isCompleted();
  }

  @Test
  void networkNeverReadyFailsWithItsCause() {
    steps.awaitFailure.set(new IllegalStateException("no tailscale0"));
    start(5, Duration.ofSeconds(10), 3);
    assertThat(state()).isEqualTo(FAILED);
    assertThat(recorder.states()).containsExactly(PREPARING, WAITING_FOR_NETWORK, FAILED);
    assertThat(supervisor.snapshot().failureReason()).hasValue("no tailscale0");
  }

  @Test
  void stopWhileStartingEndsTheStartingAnki() {
    steps.deckNames.set(ProbeResult.Kind.NO_PORT);
    start(5, Duration.ofSeconds(10), 3);
    assertThat(state()).isEqualTo(STARTING);
    supervisor.requestStop();
    time.runDue();
    assertThat(supervisor.finished()).isCompleted();
    assertThat(recorder.states()).endsWith(STARTING, STOPPING, STOPPED);
  }
}
