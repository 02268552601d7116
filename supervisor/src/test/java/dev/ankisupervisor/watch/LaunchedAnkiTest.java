package dev.ankisupervisor.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ankisupervisor.config.RestartSettings;
import dev.ankisupervisor.os.ExitStatus;
import dev.ankisupervisor.testing.FakeTime;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One launch against a fake process and fake probes, on fake time: the start timeout, SIGTERM and
 * the SIGKILL deadline, the probes' findings, and the exit, each reported once and never after the
 * launch closed.
 */
class LaunchedAnkiTest {
  private final FakeTime time = new FakeTime(Instant.parse("2026-11-26T09:00:00Z"));
  private final FakeSteps steps;
  private final List<Throwable> unexpected = new CopyOnWriteArrayList<>();
  private final SupervisorThread thread = new SupervisorThread(time, time, unexpected::add);
  /** Start timeout 200 ms; stop timeout 300 ms; liveness every 20 ms, 3 misses a hang; readiness polled every 10 ms. */
  private final WatchSettings settings = new WatchSettings("server", RestartSettings.DEFAULT, Duration.ofMillis(200),
      Duration.ofMillis(300), Duration.ofSeconds(5), Duration.ofMillis(20), 3, Duration.ofMillis(10),
      Duration.ofMillis(100), Duration.ofSeconds(5), Optional.empty());
  private final AnkiProbes probes;
  private final List<ProbeResult> readies = new CopyOnWriteArrayList<>();
  private final List<String> startTimeouts = new CopyOnWriteArrayList<>();
  private final List<ExitStatus> exits = new CopyOnWriteArrayList<>();
  private FakeSteps.FakeProcess process;

  LaunchedAnkiTest() throws Exception {
    steps = new FakeSteps();
    probes = new AnkiProbes(settings, steps, thread, () -> SyncHooks.NONE, System::nanoTime);
  }

  private LaunchedAnki launch() {
    InetAddress addr = steps.address.get();
    process = (FakeSteps.FakeProcess) steps.launch(addr);
    LaunchedAnki launched = new LaunchedAnki(process, addr, steps.endpointFor(addr), settings, thread, probes);
    launched.watch(new LaunchedAnki.Events(readies::add, r -> {}, startTimeouts::add, exits::add));
    time.runDue();
    return launched;
  }

  @AfterEach
  void noTaskThrew() {
    assertThat(unexpected).isEmpty();
  }

  @Test
  void startTimeoutKillsAtOnceWithADiagnosisAndReportsTheExit() {
    steps.deckNames.set(ProbeResult.Kind.NO_COLLECTION);
    LaunchedAnki launched = launch();
    time.advance(Duration.ofMillis(199));
    // +199 ms: still polling deckNames
    assertThat(startTimeouts).isEmpty();
    assertThat(process.kills.get()).isZero();
    time.advance(Duration.ofMillis(1));
    // +200 ms: the diagnosis names what it is stuck on; SIGKILL without SIGTERM (stuck at a dialog, C6)
    assertThat(startTimeouts).singleElement().asString().contains("profile chooser");
    assertThat(process.kills.get()).isPositive();
    assertThat(process.terms.get()).isZero();
    assertThat(exits).containsExactly(ExitStatus.killedBy(9));
    assertThat(launched.endReason()).isEqualTo(EndReason.START_TIMEOUT);
    assertThat(readies).isEmpty();
  }

  @Test
  void readinessEndsTheStartTimeout() {
    launch();
    assertThat(readies).hasSize(1);
    time.advance(Duration.ofSeconds(1));
    assertThat(startTimeouts).isEmpty();
    assertThat(process.kills.get()).isZero();
    assertThat(exits).isEmpty();
  }

  @Test
  void aHungAnkiGetsSigtermThenSigkillAfterTheStopTimeout() {
    LaunchedAnki launched = launch();
    process.ignoreSigterm = true;
    steps.version.set(ProbeResult.Kind.TIMEOUT);
    time.advance(Duration.ofMillis(40));
    // two misses (at +20 and +40 ms) are not yet a hang
    assertThat(process.terms.get()).isZero();
    time.advance(Duration.ofMillis(20));
    // the third miss in a row is: SIGTERM, ignored
    assertThat(process.terms.get()).isEqualTo(1);
    time.advance(Duration.ofMillis(299));
    // +299 ms after SIGTERM: not killed yet
    assertThat(process.kills.get()).isZero();
    assertThat(exits).isEmpty();
    time.advance(Duration.ofMillis(1));
    // +300 ms (the stop timeout): SIGKILL to the tree, and the exit is reported as ended on purpose
    assertThat(process.kills.get()).isPositive();
    assertThat(exits).containsExactly(ExitStatus.killedBy(9));
    assertThat(launched.endReason()).isEqualTo(EndReason.HUNG);
  }

  @Test
  void anAnkiThatExitsAfterSigtermIsNotKilledByTheDeadline() {
    LaunchedAnki launched = launch();
    steps.version.set(ProbeResult.Kind.TIMEOUT);
    process.diagnosis = "a cause its output named";
    time.advance(Duration.ofMillis(60));
    // hung: SIGTERM, and it exits 0; the leftovers of its group are swept once
    assertThat(exits).containsExactly(ExitStatus.exited(0));
    assertThat(process.kills.get()).isEqualTo(1);
    time.advance(Duration.ofSeconds(1));
    assertThat(process.kills.get()).isEqualTo(1);
    assertThat(exits).hasSize(1);
    // ended on purpose: what its output said is not the cause
    assertThat(launched.endReason()).isEqualTo(EndReason.HUNG);
    assertThat(launched.diagnosis()).isEmpty();
  }

  @Test
  void aChangedBindAddressEndsItWithSigterm() throws Exception {
    LaunchedAnki launched = launch();
    steps.address.set(InetAddress.getByName("100.64.0.2"));
    time.advance(Duration.ofMillis(20));
    assertThat(process.terms.get()).isEqualTo(1);
    assertThat(exits).containsExactly(ExitStatus.exited(0));
    assertThat(launched.endReason()).isEqualTo(EndReason.ADDRESS_CHANGED);
  }

  @Test
  void stopEndsTheStartTimeoutAndKillsAfterTheStopTimeout() {
    steps.deckNames.set(ProbeResult.Kind.NO_PORT);
    LaunchedAnki launched = launch();
    process.ignoreSigterm = true;
    launched.stop();
    assertThat(process.terms.get()).isEqualTo(1);
    time.advance(Duration.ofMillis(299));
    // the start timeout (+200 ms) no longer fires; SIGTERM was ignored so far
    assertThat(startTimeouts).isEmpty();
    assertThat(process.kills.get()).isZero();
    time.advance(Duration.ofMillis(1));
    assertThat(process.kills.get()).isPositive();
    assertThat(exits).containsExactly(ExitStatus.killedBy(9));
    // a stop is not an end reason: the supervisor is STOPPING and knows why
    assertThat(launched.endReason()).isNull();
  }

  @Test
  void anExitByItselfIsReportedOnceWithItsDiagnosisAndEndsTheProbes() {
    LaunchedAnki launched = launch();
    process.exitWith(1, "a cause its output named");
    time.runDue();
    assertThat(exits).containsExactly(ExitStatus.exited(1));
    assertThat(launched.endReason()).isNull();
    assertThat(launched.diagnosis()).hasValue("a cause its output named");
    // whatever was left of its group is swept
    assertThat(process.kills.get()).isEqualTo(1);
    // no liveness probe runs after the exit, so no miss can end it again
    steps.version.set(ProbeResult.Kind.TIMEOUT);
    time.advance(Duration.ofSeconds(1));
    assertThat(process.terms.get()).isZero();
    assertThat(exits).hasSize(1);
  }

  @Test
  void aKilledLaunchReportsNothingMore() {
    steps.deckNames.set(ProbeResult.Kind.NO_PORT);
    LaunchedAnki launched = launch();
    launched.kill();
    assertThat(process.kills.get()).isEqualTo(1);
    steps.deckNames.set(ProbeResult.Kind.OK);
    time.advance(Duration.ofSeconds(1));
    // its exit, the start timeout and the probes (deckNames would answer now) are all dropped
    assertThat(exits).isEmpty();
    assertThat(startTimeouts).isEmpty();
    assertThat(readies).isEmpty();
    assertThat(process.kills.get()).isEqualTo(1);
  }
}
