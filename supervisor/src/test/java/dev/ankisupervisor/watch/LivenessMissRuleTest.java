package dev.ankisupervisor.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ankisupervisor.model.SyncOutcome;
import dev.ankisupervisor.sync.SyncLoop;
import dev.ankisupervisor.sync.SyncResult;
import dev.ankisupervisor.model.SyncTrigger;
import dev.ankisupervisor.testing.FakeTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The rule for liveness misses around syncs, with a real {@link SyncLoop} on fake time: each fake
 * sync takes 2 s and runs {@link #duringSync} while it is in flight, where the test starts or ends
 * liveness probes.
 */
class LivenessMissRuleTest {
  private static final Instant T0 = Instant.parse("2026-11-26T09:00:00Z");
  private final FakeTime time = new FakeTime(T0);
  private final LivenessMissRule rule = new LivenessMissRule();
  private final Deque<SyncOutcome> outcomes = new ArrayDeque<>(); // scripted; OK when empty
  private final List<Runnable> duringSync = new ArrayList<>(); // one per sync, in order; nothing when empty
  private final SyncLoop loop = new SyncLoop(rule.watching(this::fakeSync), Duration.ofMinutes(5), true, time, time,
      s -> {});

  private SyncResult fakeSync(SyncTrigger trigger) {
    Instant start = time.instant();
    if (!duringSync.isEmpty()) {
      duringSync.remove(0).run();
    }
    time.pass(Duration.ofSeconds(2));
    SyncOutcome o = outcomes.isEmpty() ? SyncOutcome.OK : outcomes.poll();
    return new SyncResult(trigger, o, start, time.instant(), 2000, o.statusName(), Optional.empty());
  }

  @Test
  void aMissDuringASyncDoesNotCount() {
    List<LivenessMissRule.Probe> startedDuring = new ArrayList<>();
    List<Boolean> counted = new ArrayList<>();
    // a probe starts before the sync and misses while the sync runs
    LivenessMissRule.Probe startedBefore = rule.probeStarts();
    duringSync.add(() -> {
      counted.add(startedBefore.missCounts());
      // another one starts during the sync and misses before it ends ...
      LivenessMissRule.Probe p = rule.probeStarts();
      counted.add(p.missCounts());
      startedDuring.add(rule.probeStarts());
    });
    loop.resume();
    time.runDue();
    // ... and one started during the sync misses after it ended
    counted.add(startedDuring.get(0).missCounts());
    assertThat(counted).containsExactly(false, false, false);
  }

  @Test
  void aMissCountsAgainAfterTheSyncEnds() {
    loop.resume();
    time.runDue();
    assertThat(loop.isSyncInFlight()).isFalse();
    assertThat(rule.probeStarts().missCounts()).isTrue();
  }

  @Test
  void aMissDuringASyncNeverCountsNotEvenAfterSyncsThatFoundAnkiSilent() {
    // A long full sync outlives our call timeout while Anki goes on syncing: the next sync finds
    // AnkiConnect still busy; none of those misses may get Anki killed as hung.
    List<Boolean> counted = new ArrayList<>();
    outcomes.add(SyncOutcome.TIMEOUT);
    outcomes.add(SyncOutcome.ANKI_UNAVAILABLE);
    duringSync.add(() -> counted.add(rule.probeStarts().missCounts())); // +0 startup
    duringSync.add(() -> counted.add(rule.probeStarts().missCounts())); // +30 retry after a timeout
    duringSync.add(() -> counted.add(rule.probeStarts().missCounts())); // +90 retry after anki_unavailable
    loop.resume();
    time.advance(Duration.ofSeconds(100));
    assertThat(counted).containsExactly(false, false, false);
    // between the retries (a hung Anki's backoff gap) misses count
    assertThat(rule.probeStarts().missCounts()).isTrue();
  }
}
