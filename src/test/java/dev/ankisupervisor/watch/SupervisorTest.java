package dev.ankisupervisor.watch;

import static dev.ankisupervisor.watch.SupervisorState.BACKING_OFF;
import static dev.ankisupervisor.watch.SupervisorState.FAILED;
import static dev.ankisupervisor.watch.SupervisorState.PREPARING;
import static dev.ankisupervisor.watch.SupervisorState.READY;
import static dev.ankisupervisor.watch.SupervisorState.STARTING;
import static dev.ankisupervisor.watch.SupervisorState.STOPPED;
import static dev.ankisupervisor.watch.SupervisorState.STOPPING;
import static dev.ankisupervisor.watch.SupervisorState.WAITING_FOR_NETWORK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ankisupervisor.config.RestartSettings;
import dev.ankisupervisor.launch.ChromiumSandbox;
import dev.ankisupervisor.prepare.ForeignHolderException;
import dev.ankisupervisor.prepare.ProcessIdentity;
import dev.ankisupervisor.systemd.Notifier;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The supervisor's state machine against fake processes and probes (no real processes): a real
 * supervisor thread with millisecond timings.
 */
class SupervisorTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private final FakeSteps steps;
  private final RecordingListener recorder = new RecordingListener();
  private Supervisor supervisor;

  SupervisorTest() throws Exception {
    steps = new FakeSteps();
  }

  private Supervisor start(int maxRestarts, Duration startTimeout, int livenessMisses) {
    RestartSettings restart = new RestartSettings(Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofMinutes(10),
        maxRestarts, Duration.ofMinutes(10));
    WatchSettings settings = new WatchSettings("server", restart, startTimeout, Duration.ofMillis(300),
        Duration.ofSeconds(5), Duration.ofMillis(20), livenessMisses, Duration.ofMillis(10), Duration.ofMillis(100),
        Duration.ofSeconds(5), Optional.empty());
    supervisor = new Supervisor(settings, steps, Notifier.disabled(), new RestartPolicy(restart), System::nanoTime,
        Clock.systemUTC());
    supervisor.addListener(recorder);
    supervisor.start();
    return supervisor;
  }

  @AfterEach
  void stop() {
    if (supervisor != null) {
      supervisor.requestStop();
    }
  }

  private void awaitState(SupervisorState state) {
    await().atMost(WAIT).until(() -> supervisor.snapshot().state() == state);
  }

  @Test
  void normalLifeGoesThroughEveryStateInOrder() throws Exception {
    start(5, Duration.ofSeconds(10), 3);
    awaitState(READY);
    assertThat(supervisor.snapshot().ankiPid()).hasValue(1000);
    assertThat(supervisor.snapshot().readySince()).isPresent();
    assertThat(supervisor.snapshot().ankiConnectUrl()).hasValue("http://100.64.0.1:8765/");
    supervisor.requestStop();
    supervisor.finished().get(20, TimeUnit.SECONDS);
    assertThat(recorder.states()).containsExactly(PREPARING, WAITING_FOR_NETWORK, STARTING, READY, STOPPING, STOPPED);
    assertThat(steps.last().terms.get()).isEqualTo(1);
    assertThat(steps.forgotPid.get()).isEqualTo(1);
    assertThat(supervisor.snapshot().ankiPid()).isEmpty();
  }

  @Test
  void crashedAnkiIsRestartedAfterBackingOff() {
    start(5, Duration.ofSeconds(10), 3);
    awaitState(READY);
    steps.last().crash();
    await().atMost(WAIT).until(() -> steps.launched.size() == 2 && supervisor.snapshot().state() == READY);
    assertThat(recorder.states()).containsExactly(PREPARING, WAITING_FOR_NETWORK, STARTING, READY,
        BACKING_OFF, WAITING_FOR_NETWORK, STARTING, READY);
    SupervisorSnapshot s = supervisor.snapshot();
    assertThat(s.restarts()).isEqualTo(1);
    assertThat(s.lastExit()).hasValueSatisfying(e -> {
      assertThat(e.reason()).isEqualTo("crashed");
      assertThat(e.signal()).hasValue("SIGABRT");
    });
  }

  @Test
  void foreignPortHolderAtFirstStartFailsButAtARelaunchIsRetried() throws Exception {
    ForeignHolderException stray = new ForeignHolderException(
        new ProcessIdentity(4242, 1, Instant.EPOCH, List.of("python3", "-m", "http.server")),
        "port 8765 on 100.64.0.1 is held by pid 4242 (python3 -m http.server); stop it or set --connect-port");
    start(5, Duration.ofSeconds(10), 3);
    awaitState(READY);
    // Issue 7: a stray grabs the port between a crash and the relaunch, for two attempts, then goes.
    steps.prepareFailure.set(stray);
    steps.prepareFailuresLeft.set(2);
    steps.last().crash();
    await().atMost(WAIT).until(() -> steps.launched.size() == 2 && supervisor.snapshot().state() == READY);
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
    awaitState(FAILED);
    assertThat(supervisor.finished()).failsWithin(Duration.ofSeconds(1)).withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(ForeignHolderException.class);
    assertThat(steps.launched).isEmpty();
  }

  @Test
  void quickExitZeroBeforeReadyCountsAsAFailure() {
    steps.deckNames.set(ProbeResult.Kind.NO_PORT);
    start(5, Duration.ofSeconds(10), 3);
    awaitState(STARTING);
    await().atMost(WAIT).until(() -> !steps.launched.isEmpty());
    steps.last().exitWith(0);
    await().atMost(WAIT).until(() -> steps.launched.size() == 2);
    assertThat(supervisor.snapshot().lastExit()).hasValueSatisfying(e -> assertThat(e.reason()).isEqualTo("exited before ready"));
  }

  @Test
  void moreFailuresThanAllowedEndInFailedWithACrashLoop() {
    start(2, Duration.ofSeconds(10), 3);
    for (int i = 1; i <= 3; i++) {
      int n = i;
      await().atMost(WAIT).until(() -> steps.launched.size() == n && supervisor.snapshot().state() == READY);
      steps.last().crash();
    }
    awaitState(FAILED);
    assertThat(supervisor.finished()).isCompletedExceptionally();
    assertThat(supervisor.finished()).failsWithin(Duration.ofSeconds(1)).withThrowableOfType(ExecutionException.class)
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
      int n = i;
      await().atMost(WAIT).until(() -> steps.launched.size() == n && supervisor.snapshot().state() == STARTING);
      steps.last().exitWith(1, c9);
    }
    awaitState(FAILED);
    assertThat(supervisor.snapshot().failureReason()).hasValueSatisfying(r -> assertThat(r)
        .contains("(C9", "User=anki").doesNotContain("fix the cause shown in Anki's log lines above"));
  }

  @Test
  void startTimeoutKillsAndRestartsWithADiagnosis() {
    steps.deckNames.set(ProbeResult.Kind.NO_COLLECTION);
    start(5, Duration.ofMillis(200), 3);
    await().atMost(WAIT).until(() -> steps.launched.size() >= 2);
    FakeSteps.FakeProcess first = steps.launched.get(0);
    assertThat(first.kills.get()).isPositive();
    assertThat(supervisor.snapshot().lastExit()).hasValueSatisfying(e -> assertThat(e.reason()).isEqualTo("start timeout"));
    assertThat(supervisor.snapshot().failureReason()).hasValueSatisfying(r -> assertThat(r).contains("profile chooser"));
  }

  @Test
  void missedLivenessProbesRestartAHungAnki() {
    start(5, Duration.ofSeconds(10), 3);
    awaitState(READY);
    steps.version.set(ProbeResult.Kind.TIMEOUT);
    await().atMost(WAIT).until(() -> steps.launched.size() == 2);
    assertThat(steps.launched.get(0).terms.get()).isEqualTo(1);
    assertThat(supervisor.snapshot().lastExit()).hasValueSatisfying(e -> assertThat(e.reason()).isEqualTo("hung"));
  }

  @Test
  void missesDuringASyncDoNotCount() throws Exception {
    AtomicBoolean syncing = new AtomicBoolean(true);
    AtomicInteger readies = new AtomicInteger();
    steps.version.set(ProbeResult.Kind.TIMEOUT);
    RestartSettings restart = RestartSettings.DEFAULT;
    WatchSettings settings = new WatchSettings("server", restart, Duration.ofSeconds(10), Duration.ofMillis(300),
        Duration.ofSeconds(5), Duration.ofMillis(10), 2, Duration.ofMillis(10), Duration.ofMillis(100),
        Duration.ofSeconds(5), Optional.empty());
    supervisor = new Supervisor(settings, steps, Notifier.disabled(), new RestartPolicy(restart), System::nanoTime,
        Clock.systemUTC());
    supervisor.setSyncHooks(new SyncHooks() {
      @Override
      public void onReady(dev.ankisupervisor.ankiconnect.AnkiConnectEndpoint endpoint) {
        readies.incrementAndGet();
      }

      @Override
      public boolean isSyncInFlight() {
        return syncing.get();
      }
    });
    supervisor.start();
    awaitState(READY);
    await().atMost(WAIT).until(() -> readies.get() == 1);
    // Many liveness intervals pass with every probe missing, but a sync is in flight (A3).
    Thread.sleep(300);
    assertThat(steps.launched).hasSize(1);
    syncing.set(false);
    await().atMost(WAIT).until(() -> steps.launched.size() == 2);
  }

  @Test
  void addressChangeRestartsWithoutCountingAFailure() throws Exception {
    start(0, Duration.ofSeconds(10), 3);
    awaitState(READY);
    steps.address.set(InetAddress.getByName("100.64.0.2"));
    await().atMost(WAIT).until(() -> steps.launched.size() == 2 && supervisor.snapshot().state() == READY);
    // max-restarts 0 would have failed on any counted failure.
    assertThat(supervisor.snapshot().ankiConnectUrl()).hasValue("http://100.64.0.2:8765/");
    assertThat(supervisor.snapshot().lastExit()).hasValueSatisfying(e -> assertThat(e.reason()).isEqualTo("address changed"));
  }

  @Test
  void stopKillsAnAnkiThatIgnoresSigterm() throws Exception {
    start(5, Duration.ofSeconds(10), 3);
    awaitState(READY);
    steps.last().ignoreSigterm = true;
    supervisor.requestStop();
    supervisor.finished().get(20, TimeUnit.SECONDS);
    assertThat(steps.last().kills.get()).isPositive();
    assertThat(supervisor.snapshot().state()).isEqualTo(STOPPED);
  }

  @Test
  void networkNeverReadyFailsWithItsCause() {
    steps.awaitFailure.set(new IllegalStateException("no tailscale0"));
    start(5, Duration.ofSeconds(10), 3);
    awaitState(FAILED);
    assertThat(recorder.states()).containsExactly(PREPARING, WAITING_FOR_NETWORK, FAILED);
    assertThat(supervisor.snapshot().failureReason()).hasValue("no tailscale0");
  }

  @Test
  void stopWhileStartingEndsTheStartingAnki() throws Exception {
    steps.deckNames.set(ProbeResult.Kind.NO_PORT);
    start(5, Duration.ofSeconds(10), 3);
    awaitState(STARTING);
    supervisor.requestStop();
    supervisor.finished().get(20, TimeUnit.SECONDS);
    assertThat(recorder.states()).endsWith(STARTING, STOPPING, STOPPED);
  }
}
