package dev.ankisupervisor.launch;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a {@link RunningAnki} the graceful way (C6, issue 3 step 12): SIGTERM to Anki (it closes
 * the collection, maybe backs up, saves prefs21.db and exits 0), wait up to the stop timeout, then
 * SIGKILL the whole group; always ends by killing what is left of the group (QtWebEngine helpers
 * that outlive Anki) and waiting for it to be gone.
 *
 * <p>Blocking; call from the thread that owns the child. The progress consumer is called on the
 * calling thread about every {@link #PROGRESS_EVERY} with the time still allowed, so the caller can
 * send EXTEND_TIMEOUT_USEC to systemd.
 */
public final class GracefulStopper {
  /** How often progress is reported while waiting. */
  public static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
  /** How long the group may take to vanish after SIGKILL. */
  public static final Duration KILL_WAIT = Duration.ofSeconds(10);

  private static final Logger LOG = LoggerFactory.getLogger(GracefulStopper.class);

  private final PollClock clock;

  public GracefulStopper() {
    this(PollClock.SYSTEM);
  }

  GracefulStopper(PollClock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * SIGTERM, wait up to {@code stopTimeout}, SIGKILL the group, wait for the group to be gone.
   *
   * @param progress gets the time still allowed before SIGKILL, about every 5 s
   */
  public StopReport stop(RunningAnki anki, Duration stopTimeout, Consumer<Duration> progress) throws InterruptedException {
    long start = clock.nanos();
    boolean killed = false;
    if (!anki.onExit().isDone()) {
      anki.signal(RunningAnki.SIGTERM);
      long deadline = start + stopTimeout.toNanos();
      while (!anki.onExit().isDone()) {
        long left = deadline - clock.nanos();
        if (left <= 0) {
          LOG.warn("pid {} did not exit within {} of SIGTERM (C6); killing its process group", anki.pid(), stopTimeout);
          anki.killTree();
          killed = true;
          break;
        }
        progress.accept(Duration.ofNanos(left));
        waitForExit(anki, Math.min(left, PROGRESS_EVERY.toNanos()));
      }
    }
    ExitStatus status = exitWithin(anki, KILL_WAIT);
    if (!anki.groupMembers().isEmpty()) {
      LOG.info("process group {} still has {} after pid {} ended; killing them", anki.processGroup(), anki.groupMembers(), anki.pid());
      anki.killTree();
    }
    boolean gone = anki.awaitGroupGone(KILL_WAIT, clock);
    Duration took = Duration.ofNanos(clock.nanos() - start);
    LOG.info("pid {} stopped: {}{}, took {} ms", anki.pid(), status, killed ? " after SIGKILL" : "", took.toMillis());
    return new StopReport(status, killed, gone, took);
  }

  private static void waitForExit(RunningAnki anki, long nanos) throws InterruptedException {
    try {
      anki.onExit().get(nanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      // still running: the loop decides
    } catch (ExecutionException e) {
      throw new IllegalStateException("onExit failed for pid " + anki.pid(), e);
    }
  }

  private static ExitStatus exitWithin(RunningAnki anki, Duration wait) throws InterruptedException {
    try {
      return anki.onExit().get(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      anki.killTree();
      try {
        return anki.onExit().get(wait.toNanos(), TimeUnit.NANOSECONDS);
      } catch (TimeoutException | ExecutionException again) {
        throw new IllegalStateException("pid " + anki.pid() + " did not go away after SIGKILL (stuck in the kernel?)", again);
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("onExit failed for pid " + anki.pid(), e);
    }
  }
}
