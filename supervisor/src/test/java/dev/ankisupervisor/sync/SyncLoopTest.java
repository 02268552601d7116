package dev.ankisupervisor.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ankisupervisor.model.FullSyncDirection;
import dev.ankisupervisor.model.SyncOutcome;
import dev.ankisupervisor.model.SyncTrigger;
import dev.ankisupervisor.os.Scheduler;
import dev.ankisupervisor.testing.FakeTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SyncLoopTest {
  private static final Instant T0 = Instant.parse("2026-11-26T09:00:00Z");
  private final FakeTime time = new FakeTime(T0);
  private final List<String> syncs = new ArrayList<>(); // "+<seconds since T0> <trigger>"
  private final List<SyncSnapshot> snapshots = new ArrayList<>();
  private final Deque<SyncOutcome> outcomes = new ArrayDeque<>(); // scripted; OK when empty
  private Duration syncTakes = Duration.ofSeconds(2);

  private SyncResult fakeSync(SyncTrigger trigger) {
    Instant start = time.instant();
    syncs.add("+" + Duration.between(T0, start).toSeconds() + " " + trigger.statusName());
    time.pass(syncTakes);
    SyncOutcome o = outcomes.isEmpty() ? SyncOutcome.OK : outcomes.poll();
    Classification c = o == SyncOutcome.FULL_SYNC_REQUIRED
        ? Classification.fullSync(FullSyncDirection.UPLOAD, "full")
        : Classification.of(o, o.statusName());
    return SyncResult.of(trigger, c, start, time.instant());
  }

  private SyncLoop loop(Duration interval, boolean onStart) {
    return new SyncLoop(this::fakeSync, interval, onStart, time, time, snapshots::add);
  }

  @Test
  void syncsAtStartThenEveryIntervalMeasuredFromTheStart() {
    SyncLoop loop = loop(Duration.ofMinutes(5), true);
    loop.resume();
    time.advance(Duration.ofMinutes(16));
    // each sync takes 2 s, yet they start exactly 300 s apart (fixed delay from the start)
    assertThat(syncs).containsExactly("+0 startup", "+300 interval", "+600 interval", "+900 interval");
    SyncSnapshot last = loop.snapshot();
    assertThat(last.state().statusName()).isEqualTo("ok");
    assertThat(last.nextSyncAt()).contains(T0.plusSeconds(1200));
    assertThat(last.lastDurationMs()).contains(2000L);
    assertThat(last.lastSuccessAt()).contains(T0.plusSeconds(902));
  }

  @Test
  void aWallClockStepBackDuringASyncDoesNotMoveTheNextSync() {
    // The wall clock ran a day ahead; NTP sets it back while the startup sync is in flight. The
    // schedule (the fake scheduler's own time and the ticker) goes on monotonically.
    Duration[] wallOffset = {Duration.ofDays(1)};
    Clock wall = new Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return java.time.ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return time.instant().plus(wallOffset[0]);
      }
    };
    SyncLoop loop = new SyncLoop(trigger -> {
      Instant start = wall.instant();
      SyncResult r = fakeSync(trigger);
      wallOffset[0] = Duration.ZERO; // the step back, mid-sync
      // as the runner measures it: on the wall clock, so a day less than nothing (clamped to 0)
      return SyncResult.of(trigger, Classification.of(r.outcome(), r.message()), start, wall.instant());
    }, Duration.ofMinutes(5), true, wall, time::nanos, time, snapshots::add);
    loop.resume();
    time.advance(Duration.ofSeconds(3));
    // the stepped sync's duration is the monotonic one, not the wall clock's difference
    assertThat(loop.snapshot().lastDurationMs()).contains(2000L);
    time.advance(Duration.ofMinutes(11).minusSeconds(3));
    assertThat(syncs).containsExactly("+0 startup", "+300 interval", "+600 interval");
    // reported on the wall clock as it is now
    assertThat(loop.snapshot().nextSyncAt()).contains(T0.plusSeconds(900));
  }

  @Test
  void afterASyncThatFoundAnkiSilentTheNextWaitsTheGapFromItsEnd() {
    // a short interval would start syncs back to back; misses never count during one, so a hung
    // Anki needs this gap for the liveness probes to tell
    outcomes.add(SyncOutcome.TIMEOUT);
    outcomes.add(SyncOutcome.ANKI_UNAVAILABLE);
    SyncLoop loop = loop(Duration.ofSeconds(3), true);
    loop.gapAfterSilence(Duration.ofSeconds(90));
    loop.resume();
    time.advance(Duration.ofSeconds(200));
    // +0 timeout (ends +2), +92 anki_unavailable (ends +94), +184 ok, +187 interval ...
    assertThat(syncs).startsWith("+0 startup", "+92 interval", "+184 interval", "+187 interval");
  }

  @Test
  void withoutSyncOnStartTheFirstSyncWaitsOneInterval() {
    SyncLoop loop = loop(Duration.ofMinutes(5), false);
    loop.resume();
    time.runDue();
    assertThat(loop.snapshot().nextSyncAt()).contains(T0.plusSeconds(300));
    assertThat(loop.snapshot().state().statusName()).isEqualTo("never");
    time.advance(Duration.ofMinutes(6));
    assertThat(syncs).containsExactly("+300 interval");
  }

  @Test
  void syncThatOverrunsDelaysTheNextInsteadOfStacking() {
    syncTakes = Duration.ofSeconds(70);
    SyncLoop loop = loop(Duration.ofSeconds(60), true);
    loop.resume();
    time.advance(Duration.ofSeconds(200));
    // each next sync starts as soon as the previous one finished: never two, never skipped ahead
    assertThat(syncs).containsExactly("+0 startup", "+70 interval", "+140 interval");
  }

  @Test
  void failuresBackOffThirtySecondsDoublingCappedAtTheInterval() {
    for (int i = 0; i < 6; i++) {
      outcomes.add(SyncOutcome.NETWORK_ERROR);
    }
    syncTakes = Duration.ZERO;
    SyncLoop loop = loop(Duration.ofMinutes(5), true);
    loop.resume();
    time.advance(Duration.ofMinutes(30));
    // 30 s, 1 m, 2 m, 4 m, then the 5 m cap; a success returns to the interval
    assertThat(syncs).containsExactly("+0 startup", "+30 interval", "+90 interval", "+210 interval",
        "+450 interval", "+750 interval", "+1050 interval", "+1350 interval", "+1650 interval");
    assertThat(snapshots.stream().filter(s -> !s.inFlight()).map(SyncSnapshot::consecutiveFailures).toList())
        .containsExactly(1, 2, 3, 4, 5, 6, 0, 0, 0);
  }

  @Test
  void backoffIsAPureFunctionCappedAtTheInterval() {
    Duration five = Duration.ofMinutes(5);
    assertThat(SyncBackoff.delayAfter(0, five)).isEqualTo(five);
    assertThat(SyncBackoff.delayAfter(1, five)).isEqualTo(Duration.ofSeconds(30));
    assertThat(SyncBackoff.delayAfter(2, five)).isEqualTo(Duration.ofMinutes(1));
    assertThat(SyncBackoff.delayAfter(3, five)).isEqualTo(Duration.ofMinutes(2));
    assertThat(SyncBackoff.delayAfter(4, five)).isEqualTo(Duration.ofMinutes(4));
    assertThat(SyncBackoff.delayAfter(5, five)).isEqualTo(five);
    assertThat(SyncBackoff.delayAfter(1_000_000, five)).isEqualTo(five);
    assertThat(SyncBackoff.delayAfter(1, Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void failureStateCarriesKindMessageAndDirection() {
    outcomes.add(SyncOutcome.FULL_SYNC_REQUIRED);
    SyncLoop loop = loop(Duration.ofMinutes(5), true);
    loop.resume();
    time.runDue();
    SyncSnapshot s = loop.snapshot();
    assertThat(s.state().statusName()).isEqualTo("full_sync_required");
    assertThat(s.errorKind()).contains(SyncOutcome.FULL_SYNC_REQUIRED);
    assertThat(s.errorMessage()).contains("full");
    assertThat(s.fullSyncDirection()).contains(FullSyncDirection.UPLOAD);
    assertThat(s.lastSuccessAt()).isEmpty();
  }

  @Test
  void intervalZeroTurnsTheLoopOffButManualStillWorks() {
    SyncLoop loop = loop(Duration.ZERO, false);
    loop.resume();
    time.advance(Duration.ofHours(5));
    assertThat(syncs).isEmpty();
    assertThat(loop.snapshot().state().statusName()).isEqualTo("disabled");
    loop.requestNow(SyncTrigger.MANUAL);
    time.advance(Duration.ofHours(5));
    assertThat(syncs).containsExactly("+18000 manual");
    assertThat(loop.snapshot().nextSyncAt()).isEmpty();
    assertThat(time.pending()).isZero();
  }

  @Test
  void manualSyncRunsSoonAndRestartsTheIntervalFromItsStart() {
    SyncLoop loop = loop(Duration.ofMinutes(5), true);
    loop.resume();
    time.advance(Duration.ofSeconds(100));
    loop.requestNow(SyncTrigger.MANUAL);
    time.advance(Duration.ofSeconds(450));
    assertThat(syncs).containsExactly("+0 startup", "+100 manual", "+400 interval");
  }

  @Test
  void manyManualRequestsBeforeTheSyncRunsCoalesceIntoOne() {
    SyncLoop loop = loop(Duration.ofMinutes(5), true);
    loop.resume();
    time.advance(Duration.ofSeconds(10));
    loop.requestNow(SyncTrigger.MANUAL);
    loop.requestNow(SyncTrigger.MANUAL);
    loop.requestNow(SyncTrigger.MANUAL);
    time.advance(Duration.ofSeconds(10));
    assertThat(syncs).containsExactly("+0 startup", "+10 manual");
  }

  @Test
  void stopEndsTheLoopAndLaterRequestsAreIgnored() {
    SyncLoop loop = loop(Duration.ofMinutes(5), true);
    loop.resume();
    time.runDue();
    loop.stop();
    loop.stop(); // idempotent
    loop.requestNow(SyncTrigger.MANUAL);
    time.advance(Duration.ofHours(1));
    assertThat(syncs).containsExactly("+0 startup");
  }

  @Test
  void cannotResumeWhileRunning() {
    SyncLoop loop = loop(Duration.ofMinutes(5), true);
    loop.resume();
    assertThatThrownBy(loop::resume).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot resume: it is RUNNING");
  }

  @Test
  void pausedAcrossAnAnkiRestartThenSyncsAtOnceWithTheNewAnkisPreparation() {
    List<String> prepared = new ArrayList<>();
    SyncLoop loop = loop(Duration.ofMinutes(5), true);
    loop.resume(() -> prepared.add("+" + Duration.between(T0, time.instant()).toSeconds() + " first Anki"));
    time.advance(Duration.ofSeconds(400));
    // +400 Anki ends: no sync while it is down, however long that takes
    loop.pause();
    time.advance(Duration.ofMinutes(20));
    // +1600 the next Anki is ready (maybe at another endpoint): prepared first, then the start-of-run sync
    loop.resume(() -> prepared.add("+" + Duration.between(T0, time.instant()).toSeconds() + " second Anki"));
    time.advance(Duration.ofSeconds(400));
    assertThat(prepared).containsExactly("+0 first Anki", "+1600 second Anki");
    assertThat(syncs).containsExactly("+0 startup", "+300 interval", "+1600 startup", "+1900 interval");
  }

  @Test
  void withoutSyncOnStartAResumeKeepsTheScheduleItPausedWith() {
    SyncLoop loop = loop(Duration.ofMinutes(5), false);
    loop.resume();
    time.advance(Duration.ofSeconds(100));
    // +100 paused, +200 resumed: the first sync stays at +300
    loop.pause();
    time.advance(Duration.ofSeconds(100));
    loop.resume();
    time.advance(Duration.ofSeconds(250));
    // +450 paused past the next one due at +600, +800 resumed: the attempt due meanwhile runs at once
    loop.pause();
    time.advance(Duration.ofSeconds(350));
    loop.resume();
    time.advance(Duration.ofSeconds(310));
    assertThat(syncs).containsExactly("+300 interval", "+800 interval", "+1100 interval");
  }

  @Test
  void aSyncInFlightAcrossAQuickRestartFinishesAndTheNewAnkiGetsOneStartSync() {
    AtomicInteger calls = new AtomicInteger();
    List<SyncLoop> holder = new ArrayList<>();
    SyncLoop loop = new SyncLoop(t -> {
      SyncResult r = fakeSync(t);
      if (calls.incrementAndGet() == 2) {
        // Anki ends and the next one is ready while this sync still waits for an answer
        holder.get(0).pause();
        holder.get(0).resume();
        time.pass(Duration.ofSeconds(60));
      }
      return r;
    }, Duration.ofMinutes(5), true, time, time, snapshots::add);
    holder.add(loop);
    loop.resume();
    time.advance(Duration.ofSeconds(700));
    // the interval sync at +300 took 62 s; then one startup sync for the new Anki, and its interval
    assertThat(syncs).containsExactly("+0 startup", "+300 interval", "+362 startup", "+662 interval");
  }

  @Test
  void manualRequestWhilePausedIsKeptAndRunsRightAfterTheStartSyncOfTheNextResume() {
    SyncLoop loop = loop(Duration.ofMinutes(5), true);
    loop.resume();
    time.advance(Duration.ofSeconds(10));
    loop.pause();
    time.advance(Duration.ofSeconds(10));
    // +20 two sync-now requests while Anki restarts: kept as one
    loop.requestNow(SyncTrigger.MANUAL);
    loop.requestNow(SyncTrigger.MANUAL);
    time.advance(Duration.ofSeconds(30));
    assertThat(syncs).containsExactly("+0 startup");
    // +50 ready again
    loop.resume();
    time.advance(Duration.ofSeconds(10));
    assertThat(syncs).containsExactly("+0 startup", "+50 startup", "+52 manual");
  }

  @Test
  void manualRequestBeforeTheFirstResumeRunsOnceResumedEvenWithoutStartSyncOrInterval() {
    SyncLoop loop = loop(Duration.ZERO, false);
    loop.requestNow(SyncTrigger.MANUAL);
    time.advance(Duration.ofSeconds(30));
    assertThat(syncs).isEmpty();
    loop.resume();
    time.advance(Duration.ofSeconds(30));
    assertThat(syncs).containsExactly("+30 manual");
  }

  @Test
  void stopWhilePausedDropsAKeptRequest() {
    SyncLoop loop = loop(Duration.ofMinutes(5), true);
    loop.resume();
    time.runDue();
    loop.pause();
    loop.requestNow(SyncTrigger.MANUAL);
    loop.stop();
    loop.resume(); // a late ready after the stop
    time.advance(Duration.ofHours(1));
    assertThat(syncs).containsExactly("+0 startup");
  }

  @Test
  void aThrowingSyncBecomesUnknownAndTheLoopCarriesOn() {
    AtomicInteger calls = new AtomicInteger();
    SyncLoop loop = new SyncLoop(t -> {
      if (calls.incrementAndGet() == 1) {
        throw new IllegalStateException("boom");
      }
      return fakeSync(t);
    }, Duration.ofMinutes(5), true, time, time, snapshots::add);
    loop.resume();
    time.advance(Duration.ofMinutes(1));
    assertThat(loop.snapshot().state().statusName()).isEqualTo("ok");
    assertThat(snapshots.stream().filter(s -> !s.inFlight()).map(s -> s.state().statusName()).toList())
        .containsExactly("unknown", "ok");
  }

  /** Real thread: manual requests during a slow sync never run a second sync alongside it (A3). */
  @Test
  void secondSyncWaitsForFirstOnTheRealThread() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    List<SyncTrigger> ran = new CopyOnWriteArrayList<>();
    SyncLoop loop = new SyncLoop(t -> {
      maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
      ran.add(t);
      try {
        if (t == SyncTrigger.STARTUP) {
          release.await(30, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      running.decrementAndGet();
      Instant now = Instant.now();
      return SyncResult.of(t, Classification.of(SyncOutcome.OK, "ok"), now, now);
    }, Duration.ofMinutes(5), true, Clock.systemUTC(), Scheduler.newThread("sync"), s -> {});
    try {
      loop.resume();
      await().atMost(Duration.ofSeconds(30)).until(loop::isSyncInFlight);
      for (int i = 0; i < 20; i++) {
        loop.requestNow(SyncTrigger.MANUAL);
      }
      assertThat(ran).containsExactly(SyncTrigger.STARTUP);
      release.countDown();
      await().atMost(Duration.ofSeconds(30)).until(() -> ran.size() == 2 && !loop.isSyncInFlight());
      assertThat(ran).containsExactly(SyncTrigger.STARTUP, SyncTrigger.MANUAL);
      assertThat(maxRunning.get()).isEqualTo(1);
    } finally {
      release.countDown();
      loop.stop();
    }
  }
}
