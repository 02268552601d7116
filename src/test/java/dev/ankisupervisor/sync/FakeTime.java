package dev.ankisupervisor.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A hand-advanced clock that is also a {@link SyncScheduler}: tasks run on the test's thread when
 * {@link #advance} reaches their time. A task may itself advance the time (a sync that takes long).
 */
final class FakeTime extends Clock implements SyncScheduler {
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

  FakeTime(Instant start) {
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

  /** Moves the clock without running tasks (a task's own passing time). */
  void pass(Duration d) {
    now = now.plus(d);
  }

  /** Moves the clock forward, running every task that falls due, each at its own time. */
  void advance(Duration d) {
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
  void runDue() {
    advance(Duration.ZERO);
  }

  long pending() {
    return tasks.stream().filter(t -> !t.cancelled).count();
  }

  @Override
  public Scheduled schedule(Runnable task, Duration delay) {
    if (shutdown) {
      throw new java.util.concurrent.RejectedExecutionException("shut down");
    }
    Task t = new Task(now.plus(delay), seq++, task);
    tasks.add(t);
    return t;
  }

  @Override
  public void shutdown() {
    shutdown = true;
    tasks.clear();
  }
}
