package dev.ankisupervisor.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Figures 3 and 4 (and the data for 5a): both supervisors run side by side for the soak duration
 * while this samples, once a second, each supervisor process's VmRSS and CPU ticks (never the
 * child's). Idle CPU skips the warm-up ({@link #warmUp}: a quarter of the soak, at most 60 s) and
 * then counts only the sampling intervals that overlap no sync of ours (each sync's
 * [lastAttemptAt - 1 s, lastFinishedAt + 1 s] as the status file showed it); supervisord never
 * syncs, so all its intervals count.
 *
 * <p>Threading: the driver thread.
 */
final class Soak {
  /** One sample of both supervisors. */
  record Sample(long nanos, Instant wall, long oursTicks, long oursRssKib, long oursAnonKib, long sdTicks, long sdRssKib,
      long twinRssKib, long twinAnonKib, long sysRssKib, long sysAnonKib) {}

  /**
   * Result: RSS (and its private part, RssAnon) at the end and its max, idle CPU seconds per minute,
   * how long the idle intervals summed to; the twin's RSS and RssAnon at the end (-1 without a twin).
   */
  record Result(long oursRssKib, long oursAnonKib, long oursMaxRssKib, long sdRssKib, double oursIdleCpuPerMin,
      double sdIdleCpuPerMin, double idleSeconds, double oursTotalCpuPerMin, int samples, long twinRssKib,
      long twinAnonKib, long sysRssKib, long sysAnonKib) {}

  /** Idle CPU ignores the first intervals: class loading and JIT right after the start are not idle. */
  static Duration warmUp(Duration length) {
    Duration quarter = length.dividedBy(4);
    return quarter.compareTo(Duration.ofSeconds(60)) < 0 ? quarter : Duration.ofSeconds(60);
  }

  private Soak() {}

  /**
   * Samples for {@code length}.
   *
   * @param twinPid a second supervisor of ours run with other JVM flags, or -1
   * @param sysPid ours run as systemd would (NOTIFY_SOCKET, WATCHDOG_USEC)
   */
  static Result run(long oursPid, long sdPid, long twinPid, long sysPid, Duration length, StatusFileWatch watch)
      throws InterruptedException {
    List<Sample> samples = new ArrayList<>();
    long end = System.nanoTime() + length.toNanos();
    long nextReport = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (true) {
      samples.add(sample(oursPid, sdPid, twinPid, sysPid));
      if (System.nanoTime() >= end) {
        break;
      }
      if (System.nanoTime() >= nextReport) {
        Sample s = samples.get(samples.size() - 1);
        System.out.printf("  soak: %d s, ours RSS %d KiB, supervisord RSS %d KiB, syncs seen %d%n",
            (s.nanos() - samples.get(0).nanos()) / 1_000_000_000L, s.oursRssKib(), s.sdRssKib(), watch.attempts());
        nextReport += Duration.ofMinutes(1).toNanos();
      }
      Thread.sleep(1000);
    }
    List<StatusFileWatch.SyncSeen> syncs = watch.finished();
    long oursIdleTicks = 0;
    long sdIdleTicks = 0;
    double idleSeconds = 0;
    double sdSeconds = 0;
    long maxRss = 0;
    long warmEnd = samples.get(0).nanos() + warmUp(length).toNanos();
    for (int i = 1; i < samples.size(); i++) {
      Sample a = samples.get(i - 1);
      Sample b = samples.get(i);
      double secs = (b.nanos() - a.nanos()) / 1e9;
      maxRss = Math.max(maxRss, b.oursRssKib());
      if (a.nanos() < warmEnd) {
        continue;
      }
      sdIdleTicks += b.sdTicks() - a.sdTicks();
      sdSeconds += secs;
      if (!overlapsSync(a.wall(), b.wall(), syncs)) {
        oursIdleTicks += b.oursTicks() - a.oursTicks();
        idleSeconds += secs;
      }
    }
    Sample first = samples.get(0);
    Sample last = samples.get(samples.size() - 1);
    double totalMinutes = (last.nanos() - first.nanos()) / 60e9;
    double perTick = 1.0 / ProcStat.TICKS_PER_SECOND;
    return new Result(last.oursRssKib(), last.oursAnonKib(), maxRss, last.sdRssKib(),
        idleSeconds == 0 ? Double.NaN : oursIdleTicks * perTick / (idleSeconds / 60),
        sdSeconds == 0 ? Double.NaN : sdIdleTicks * perTick / (sdSeconds / 60), idleSeconds,
        totalMinutes == 0 ? Double.NaN : (last.oursTicks() - first.oursTicks()) * perTick / totalMinutes,
        samples.size(), last.twinRssKib(), last.twinAnonKib(), last.sysRssKib(), last.sysAnonKib());
  }

  private static boolean overlapsSync(Instant from, Instant to, List<StatusFileWatch.SyncSeen> syncs) {
    for (StatusFileWatch.SyncSeen s : syncs) {
      Instant start = (s.attemptAt() == null ? s.finishedAt() : s.attemptAt()).minusSeconds(1);
      Instant stop = s.finishedAt().plusSeconds(1);
      if (from.isBefore(stop) && to.isAfter(start)) {
        return true;
      }
    }
    return false;
  }

  private static Sample sample(long oursPid, long sdPid, long twinPid, long sysPid) {
    return new Sample(System.nanoTime(), Instant.now(), orMinus(ProcStat.cpuTicks(oursPid)),
        orMinus(ProcStat.rssKib(oursPid)), orMinus(ProcStat.rssAnonKib(oursPid)), orMinus(ProcStat.cpuTicks(sdPid)),
        orMinus(ProcStat.rssKib(sdPid)), twinPid < 0 ? -1 : ProcStat.rssKib(twinPid).orElse(-1),
        twinPid < 0 ? -1 : ProcStat.rssAnonKib(twinPid).orElse(-1), orMinus(ProcStat.rssKib(sysPid)),
        orMinus(ProcStat.rssAnonKib(sysPid)));
  }

  private static long orMinus(OptionalLong v) {
    if (v.isEmpty()) {
      throw new IllegalStateException("a supervisor died during the soak");
    }
    return v.getAsLong();
  }
}
