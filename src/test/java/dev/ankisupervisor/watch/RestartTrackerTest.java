package dev.ankisupervisor.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ankisupervisor.config.RestartSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Failure bookkeeping with hand-advanced time (plain nanos), no sleeps. */
class RestartTrackerTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long MINUTE = 60 * SECOND;
  private final RestartTracker tracker = new RestartTracker(new RestartPolicy(RestartSettings.DEFAULT));

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
