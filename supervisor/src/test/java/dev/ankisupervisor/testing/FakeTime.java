package dev.ankisupervisor.testing;

import dev.ankisupervisor.os.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A hand-advanced clock that is also a {@link Scheduler} and a monotonic ticker: tasks run on the
 * test's thread when {@link #advance} reaches their time. A task may itself advance the time (a sync
 * that takes long). Test thread only.
 */
public final class FakeTime extends Clock implements Scheduler {
  private final Instant start;
  private Instant now;
  private long seq;
  private final List<Task> tasks = new ArrayList<>();
  private boolean shutdown;

  private static final class Task implements Scheduled {
    final Instant due;
    final long seq;
    final Runnable body;
    boolean cancelled;

    Task(Instant due, long seq, Runnable body) {
      this.due = due;
      this.seq = seq;
      this.body = body;
    }

    @Override
    public void cancel() {
      cancelled = true;
    }
  }

  public FakeTime(Instant start) {
    this.start = start;
    this.now = start;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return now;
  }

  /** Monotonic nanos since the start, for a ticker. */
  public long nanos() {
    return Duration.between(start, now).toNanos();
  }

  /** Moves the clock without running tasks (a task's own passing time). */
  public void pass(Duration d) {
    now = now.plus(d);
  }

  /** Moves the clock forward, running every task that falls due, each at its own time. */
  public void advance(Duration d) {
    Instant end = now.plus(d);
    while (true) {
      Task t = tasks.stream().filter(x -> !x.cancelled && !x.due.isAfter(end))
          .min(Comparator.comparing((Task x) -> x.due).thenComparingLong(x -> x.seq)).orElse(null);
      if (t == null) {
        break;
      }
      tasks.remove(t);
      if (t.due.isAfter(now)) {
        now = t.due;
      }
      t.body.run();
    }
    if (end.isAfter(now)) {
      now = end;
    }
  }

  /** Runs what is due now. */
  public void runDue() {
    advance(Duration.ZERO);
  }

  public long pending() {
    return tasks.stream().filter(t -> !t.cancelled).count();
  }

  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public Scheduled schedule(Runnable task, Duration delay) {
    if (shutdown) {
      throw new java.util.concurrent.RejectedExecutionException("shut down");
    }
    Task t = new Task(now.plus(delay.isNegative() ? Duration.ZERO : delay), seq++, task);
    tasks.add(t);
    return t;
  }

  @Override
  public void shutdown() {
    shutdown = true;
    tasks.clear();
  }
}
