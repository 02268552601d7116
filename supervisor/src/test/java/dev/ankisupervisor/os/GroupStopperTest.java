package dev.ankisupervisor.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SIGTERM, wait, SIGKILL against real small processes (sh, sleep) that lead their own process group. */
class GroupStopperTest {
  private final ProcFs proc = ProcFs.system();
  private Process leader;

  @AfterEach
  void killEverything() throws InterruptedException {
    if (leader != null) {
      Signals.toGroup(leader.pid(), Signals.SIGKILL);
      leader.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** {@code script} as the leader of a new process group with at least {@code members} processes. */
  private ProcessIdentity startGroup(String script, int members) throws IOException {
    leader = new ProcessBuilder("setsid", "sh", "-c", script).start();
    await().atMost(30, TimeUnit.SECONDS).until(() -> proc.groupMembers(leader.pid()).size() >= members);
    return proc.identity(leader.pid()).orElseThrow();
  }

  @Test
  void sigtermIsEnoughAndHelpersLeftInTheGroupAreKilled() throws Exception {
    // the helper ignores SIGTERM and outlives its leader, like QtWebEngineProcess outliving Anki
    ProcessIdentity p = startGroup("(trap '' TERM; exec sleep 600) & trap 'exit 0' TERM; while :; do sleep 1; done", 2);

    GroupStopper.Result result = new GroupStopper(proc, Sleeper.system()).stop(p, Duration.ofSeconds(30));

    assertThat(result).isEqualTo(GroupStopper.Result.TERMINATED);
    assertThat(leader.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(leader.exitValue()).isZero();
    assertThat(proc.groupMembers(p.pid())).isEmpty();
  }

  @Test
  void aProcessIgnoringSigtermGetsSigkillForItsWholeGroupAfterTheTimeout() throws Exception {
    ProcessIdentity p = startGroup("trap '' TERM; sleep 600 & wait", 2);

    long start = System.nanoTime();
    GroupStopper.Result result = new GroupStopper(proc, Sleeper.system()).stop(p, Duration.ofMillis(700));

    assertThat(result).isEqualTo(GroupStopper.Result.KILLED);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(700));
    assertThat(leader.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(leader.exitValue()).isEqualTo(128 + Signals.SIGKILL);
    assertThat(proc.groupMembers(p.pid())).isEmpty();
  }

  @Test
  void aGoneProcessOrARecycledPidIsNeverSignalled() throws Exception {
    ProcessIdentity p = startGroup("exec sleep 600", 1);
    ProcessIdentity older = new ProcessIdentity(p.pid(), p.startTicks() - 1, p.startedAt(), p.cmdline());

    GroupStopper.Result result = new GroupStopper(proc, Sleeper.system()).stop(older, Duration.ofMillis(100));

    assertThat(result).isEqualTo(GroupStopper.Result.TERMINATED);
    assertThat(leader.isAlive()).as("same pid, other start time: not ours, not signalled").isTrue();
  }
}
