package dev.ankisupervisor.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ankisupervisor.config.RestartSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RestartPolicyTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long MINUTE = 60 * SECOND;
  private final RestartPolicy policy = new RestartPolicy(RestartSettings.DEFAULT);
  /** The failure bookkeeping on top of the policy, with hand-advanced time (plain nanos), no sleeps. */
  private final RestartTracker tracker = new RestartTracker(policy);

  @Test
  void delayStartsAtOneSecondAndDoublesToSixtySeconds() {
    assertThat(policy.delayAfter(0)).isEqualTo(Duration.ZERO);
    assertThat(policy.delayAfter(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(policy.delayAfter(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(policy.delayAfter(3)).isEqualTo(Duration.ofSeconds(4));
    assertThat(policy.delayAfter(6)).isEqualTo(Duration.ofSeconds(32));
    // 64 s would pass the ceiling: clamped.
    assertThat(policy.delayAfter(7)).isEqualTo(Duration.ofSeconds(60));
    assertThat(policy.delayAfter(1000)).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void crashOfAReadyAnkiIsRelaunchedAtOnceThenBacksOffFromTheSecondFailure() {
    assertThat(policy.delayAfter(1, true)).isEqualTo(Duration.ZERO);
    assertThat(policy.delayAfter(2, true)).isEqualTo(Duration.ofSeconds(1));
    assertThat(policy.delayAfter(3, true)).isEqualTo(Duration.ofSeconds(2));
    assertThat(policy.delayAfter(8, true)).isEqualTo(Duration.ofSeconds(60));
    // A run that began with a failed start backs off from its first failure, as before.
    assertThat(policy.delayAfter(1, false)).isEqualTo(Duration.ofSeconds(1));
    assertThat(policy.delayAfter(2, false)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void negativeFailureCountIsRefused() {
    assertThatThrownBy(() -> policy.delayAfter(-1, true)).hasMessageContaining("-1");
    assertThatThrownBy(() -> policy.delayAfter(-1)).hasMessageContaining("-1");
  }

  @Test
  void jitterStaysBetweenEightyPercentAndTheUnjitteredDelay() {
    RestartPolicy jittered = new RestartPolicy(RestartSettings.DEFAULT, Optional.of(new Random(42)));
    for (int n = 1; n < 12; n++) {
      Duration exact = policy.delayAfter(n);
      Duration d = jittered.delayAfter(n);
      assertThat(d).isLessThanOrEqualTo(exact).isGreaterThanOrEqualTo(exact.multipliedBy(8).dividedBy(10));
    }
  }

  @Test
  void failureCountResetsAfterTenMinutesHealthy() {
    assertThat(policy.isHealthyLongEnough(Duration.ofMinutes(9).plusSeconds(59))).isFalse();
    assertThat(policy.isHealthyLongEnough(Duration.ofMinutes(10))).isTrue();
  }

  @Test
  void sixthFailureWithinTenMinutesIsACrashLoop() {
    List<Long> failures = new ArrayList<>();
    long now = 1000 * MINUTE;
    // Five failures one minute apart: still restarting.
    for (int i = 0; i < 5; i++) {
      now += MINUTE;
      failures.add(now);
      assertThat(policy.isCrashLoop(failures, now)).as("failure %d", i + 1).isFalse();
    }
    // The sixth, still within ten minutes of the first: give up.
    now += MINUTE;
    failures.add(now);
    assertThat(policy.isCrashLoop(failures, now)).isTrue();
  }

  @Test
  void failuresOlderThanTheWindowDoNotCount() {
    List<Long> failures = new ArrayList<>();
    long now = 0;
    for (int i = 0; i < 6; i++) {
      now += 2 * MINUTE + 1;
      failures.add(now);
    }
    // The first failure is now just over ten minutes old: five remain in the window.
    assertThat(policy.isCrashLoop(failures, now)).isFalse();
    assertThat(policy.recentOnly(failures, now)).hasSize(5);
  }

  @Test
  void zeroMaxRestartsGivesUpAtTheFirstFailure() {
    RestartPolicy strict = new RestartPolicy(new RestartSettings(
        Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMinutes(1), 0, Duration.ofMinutes(1)));
    assertThat(strict.isCrashLoop(List.of(5L), 5L)).isTrue();
  }

  @Test
  void delaysGrowWithFailuresInARowThenTheSixthInTenMinutesGivesUp() {
    long now = 0;
    // Five quick failures, never ready: 1, 2, 4, 8, 16 s.
    for (long expected : new long[] {1, 2, 4, 8, 16}) {
      now += 30 * SECOND;
      assertThat(tracker.recordFailure(now, false)).hasValue(Duration.ofSeconds(expected));
    }
    // The sixth within ten minutes of the first: a crash loop.
    now += 30 * SECOND;
    assertThat(tracker.recordFailure(now, false)).isEmpty();
    assertThat(tracker.recentFailures()).isEqualTo(6);
  }

  @Test
  void tenMinutesReadyStartTheCountOver() {
    long now = 0;
    tracker.recordFailure(now += SECOND, false);
    tracker.recordFailure(now += SECOND, false);
    tracker.markReady(now += SECOND);
    // Ready for ten minutes, then a crash: a new run of failures, relaunched at once.
    now += 10 * MINUTE;
    assertThat(tracker.recordFailure(now, true)).hasValue(Duration.ZERO);
    assertThat(tracker.recentFailures()).isEqualTo(1);
  }

  @Test
  void firstCrashOfAReadyAnkiIsImmediateAndTheFailuresAfterItBackOff() {
    long now = 0;
    tracker.markReady(now += SECOND);
    // The crash of a ready Anki: relaunched at once.
    assertThat(tracker.recordFailure(now += MINUTE, true)).hasValue(Duration.ZERO);
    // Its relaunch fails (never ready), again and again: 1, 2, 4 s.
    for (long expected : new long[] {1, 2, 4}) {
      assertThat(tracker.recordFailure(now += SECOND, false)).hasValue(Duration.ofSeconds(expected));
    }
  }

  @Test
  void aShortHealthySpellKeepsTheCount() {
    long now = 0;
    tracker.recordFailure(now += SECOND, false);
    tracker.markReady(now += SECOND);
    now += MINUTE;
    assertThat(tracker.recordFailure(now, true)).hasValue(Duration.ofSeconds(2));
  }
}
