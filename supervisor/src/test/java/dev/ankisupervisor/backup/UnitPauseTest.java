package dev.ankisupervisor.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The unit is started again once on every path after its stop was issued, and never stopped after
 * the shutdown hook ran. Real threads; the real-process SIGTERM case is in BackupIT.
 */
class UnitPauseTest {
  private static final String UNIT = "anki-sync-server.service";
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final CountDownLatch stopEntered = new CountDownLatch(1);
  private final CountDownLatch releaseStop = new CountDownLatch(1);
  private volatile boolean stopBlocks;
  private volatile boolean stopFails;

  private final ServiceControl services = new ServiceControl() {
    @Override
    public void stop(String unit) throws IOException {
      calls.add("stop " + unit);
      stopEntered.countDown();
      if (stopBlocks) {
        try {
          releaseStop.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (stopFails) {
        throw new IOException("Job for " + unit + " canceled.");
      }
    }

    @Override
    public void start(String unit) {
      calls.add("start " + unit);
    }
  };

  private final UnitPause pause = new UnitPause(services, line -> {});

  @Test
  void stopThenStartAgainStartsOnce() {
    pause.stop(UNIT);
    pause.startAgain();
    pause.abort(); // the shutdown hook after a normal end
    assertThat(calls).containsExactly("stop " + UNIT, "start " + UNIT);
  }

  @Test
  void failedStopIsStartedAgainAsItMayBeHalfDone() {
    stopFails = true;
    assertThatThrownBy(() -> pause.stop(UNIT)).isInstanceOf(CopyRun.StopFailed.class);
    pause.startAgain();
    assertThat(calls).containsExactly("stop " + UNIT, "start " + UNIT);
  }

  @Test
  void abortWhileTheStopRunsStartsTheUnitOnlyAfterTheStopReturns() throws Exception {
    stopBlocks = true;
    Thread backup = new Thread(() -> pause.stop(UNIT), "backup");
    backup.start();
    assertThat(stopEntered.await(30, TimeUnit.SECONDS)).isTrue();
    Thread hook = new Thread(pause::abort, "backup-abort");
    hook.start();
    // the hook waits for the stop: a start issued now could reach systemd before the stop
    await().atMost(Duration.ofSeconds(30)).until(() -> hook.getState() == Thread.State.WAITING);
    assertThat(calls).containsExactly("stop " + UNIT);
    releaseStop.countDown();
    hook.join(30_000);
    backup.join(30_000);
    assertThat(hook.isAlive()).isFalse();
    assertThat(calls).containsExactly("stop " + UNIT, "start " + UNIT);
  }

  @Test
  void noStopIsIssuedAfterTheHookRan() {
    pause.abort();
    assertThatThrownBy(() -> pause.stop(UNIT)).isInstanceOf(CopyRun.StopFailed.class);
    pause.startAgain();
    assertThat(calls).isEmpty();
  }
}
