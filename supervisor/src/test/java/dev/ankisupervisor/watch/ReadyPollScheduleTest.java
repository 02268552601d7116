package dev.ankisupervisor.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ankisupervisor.config.RestartSettings;
import dev.ankisupervisor.model.SupervisorState;
import dev.ankisupervisor.systemd.Notifier;
import dev.ankisupervisor.testing.FakeTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The readiness poll: the schedule itself, and the supervisor on fake time seeing a starting Anki
 * ready within 50 ms of its answering, with no readiness polls once ready.
 */
class ReadyPollScheduleTest {
  private static final Duration CAP = Duration.ofMillis(500);
  private static final Duration LIVENESS = Duration.ofSeconds(30);
  private final FakeTime time = new FakeTime(Instant.parse("2026-12-07T09:00:00Z"));
  private Supervisor supervisor;

  @AfterEach
  void stop() {
    if (supervisor != null) {
      supervisor.requestStop();
      time.advance(Duration.ofSeconds(1));
    }
  }

  @Test
  void every20MsForTenSecondsThenDoublingTo500() {
    ReadyPollSchedule s = new ReadyPollSchedule(CAP);
    List<Duration> waits = new ArrayList<>();
    Duration since = Duration.ZERO;
    while (since.compareTo(Duration.ofSeconds(14)) < 0) {
      Duration w = s.next(since);
      waits.add(w);
      since = since.plus(w);
    }
    assertThat(waits.subList(0, 500)).containsOnly(Duration.ofMillis(20));
    assertThat(waits.subList(500, 507)).extracting(Duration::toMillis).containsExactly(40L, 80L, 160L, 320L, 500L,
        500L, 500L);
  }

  @Test
  void aCapBelow20MsIsTheFirstWaitToo() {
    assertThat(new ReadyPollSchedule(Duration.ofMillis(10)).next(Duration.ZERO)).isEqualTo(Duration.ofMillis(10));
  }

  @Test
  void refusesAFirstWaitAboveTheCap() {
    assertThatThrownBy(() -> new ReadyPollSchedule(Duration.ofMillis(50), Duration.ofMillis(20), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aStartingAnkiIsSeenReadyWithin50MsOfAnsweringAndNotPolledOnceReady() throws Exception {
    FakeSteps steps = new FakeSteps();
    steps.deckNames.set(ProbeResult.Kind.NO_PORT);
    start(steps);
    // AnkiConnect listens at 700 ms but has no collection yet (A2), answers at 737 ms.
    time.advance(Duration.ofMillis(700));
    steps.deckNames.set(ProbeResult.Kind.NO_COLLECTION);
    time.advance(Duration.ofMillis(37));
    assertThat(supervisor.snapshot().state()).isEqualTo(SupervisorState.STARTING);
    steps.deckNames.set(ProbeResult.Kind.OK);
    long answeredAt = time.nanos();
    while (supervisor.snapshot().state() != SupervisorState.READY) {
      time.advance(Duration.ofMillis(1));
      assertThat(Duration.ofNanos(time.nanos() - answeredAt)).isLessThanOrEqualTo(Duration.ofMillis(50));
    }
    int pollsToReady = Collections.frequency(steps.probed, "deckNames");
    assertThat(pollsToReady).as("one poll per 20 ms while starting, one at a time").isBetween(37, 40);
    steps.probed.clear();
    time.advance(Duration.ofMinutes(10));
    assertThat(steps.probed).as("once ready: liveness every %s only", LIVENESS).doesNotContain("deckNames")
        .hasSize(20);
  }

  @Test
  void aSlowStartIsPolledLessOftenAfterTenSecondsButStillSeenWithinTheCap() throws Exception {
    FakeSteps steps = new FakeSteps();
    steps.deckNames.set(ProbeResult.Kind.NO_COLLECTION);
    start(steps);
    time.advance(Duration.ofSeconds(60));
    assertThat(Collections.frequency(steps.probed, "deckNames")).as("500 fast polls, then about 2 a second")
        .isBetween(500 + 95, 500 + 105);
    steps.deckNames.set(ProbeResult.Kind.OK);
    time.advance(CAP);
    assertThat(supervisor.snapshot().state()).isEqualTo(SupervisorState.READY);
  }

  private void start(FakeSteps steps) {
    RestartSettings restart = RestartSettings.DEFAULT;
    WatchSettings settings = new WatchSettings("server", restart, Duration.ofMinutes(3), Duration.ofSeconds(60),
        Duration.ofSeconds(5), LIVENESS, 3, CAP, Duration.ofSeconds(10), Duration.ofSeconds(5), Optional.empty());
    supervisor = new Supervisor(settings, steps, Notifier.disabled(), new RestartPolicy(restart), time::nanos, time,
        time, time);
    supervisor.start();
    time.runDue();
  }
}
