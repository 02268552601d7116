package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ankisupervisor.os.ProcFs;
import dev.ankisupervisor.testing.RealAnkiConnect;
import dev.ankisupervisor.testing.RealAnkiResources;
import dev.ankisupervisor.testing.RealAnkiVenv;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Real Anki killed under {@code run}, as root and as a system user: a SIGKILLed Anki is relaunched
 * and ready again with the collection lock its own and the note written before the kill kept (the
 * {@code -wal} replayed, C7); after a kill -9 of the supervisor, the next {@code run} finds the old
 * Anki (its pidfile, C7's lock, the port), stops it cleanly and loses nothing.
 */
class RealAnkiCrashIT {
  @RegisterExtension static final RealAnkiResources real = new RealAnkiResources();

  @TempDir Path dir;
  private RealAnkiRun run;
  private RealAnkiRun next;

  @ParameterizedTest
  @EnumSource(RealAnkiRun.As.class)
  void sigkillOfAnkiRelaunchesItReadyWithTheLockAndTheNote(RealAnkiRun.As as) throws Exception {
    run = real.closeAfterTest(new RealAnkiRun(dir, real.venv(), as)).start();
    run.awaitReady(1);
    long first = run.sup.ankiPid();
    assertThat(run.lockHolders()).as("C7: the collection lock").containsExactly(first);
    RealAnkiConnect anki = run.connect();
    anki.call("createDeck", "{\"deck\": \"Crash\"}");
    anki.addNote("Crash", "written before the kill");

    SupervisorProcess.signal(first, "KILL");
    run.awaitReady(2);
    long second = run.sup.ankiPid();
    assertThat(second).isNotEqualTo(first);
    await().atMost(RealAnkiVenv.BOUND).pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> assertThat(run.lockHolders()).as("C7: the lock is the new Anki's").containsExactly(second));
    assertThat(anki.call("findCards", "{\"query\": \"deck:Crash\"}")).as("the note survived the SIGKILL").hasSize(1);
    assertThat(run.sigterm()).as(run.sup.log()).isZero();
    run.assertCollectionClosed();
    run.assertNothingLeft();
  }

  @ParameterizedTest
  @EnumSource(RealAnkiRun.As.class)
  void afterKillNineOfTheSupervisorTheNextRunStopsTheOldAnkiAndLosesNothing(RealAnkiRun.As as) throws Exception {
    run = real.closeAfterTest(new RealAnkiRun(dir, real.venv(), as)).start();
    run.awaitReady(1);
    long old = run.sup.ankiPid();
    RealAnkiConnect anki = run.connect();
    anki.call("createDeck", "{\"deck\": \"Orphan\"}");
    anki.addNote("Orphan", "written before the supervisor died");

    SupervisorProcess.signal(run.sup.process().pid(), "KILL");
    run.sup.process().waitFor();
    assertThat(ProcessHandle.of(old).map(ProcessHandle::isAlive)).as("Anki outlives its supervisor").contains(true);

    next = real.closeAfterTest(run.next(dir.resolve("next-run.log"))).start();
    next.awaitReady(1);
    // Found through the pidfile the killed run left (pid + start time) and stopped: SIGTERM, then
    // SIGKILL after --stop-timeout. Real Anki whose supervisor died (its stdout a pipe nobody reads)
    // mostly closes within 2 s of SIGTERM, but not always within 10 s; either way nothing is lost.
    assertThat(next.sup.log()).contains("names a live process: pid " + old)
        .containsPattern("pid " + old + " \\(.*\\) (exited after SIGTERM|still runs PT10S after SIGTERM)");
    // Stopped; its parent (init here, not the killed supervisor) reaps it when it gets to it: until
    // then it is a zombie, which runs nothing.
    await("the old Anki was stopped").atMost(Duration.ofSeconds(15))
        .until(() -> !ProcessHandle.of(old).map(ProcessHandle::isAlive).orElse(false) || ProcFs.system().isZombie(old));
    long fresh = next.sup.ankiPid();
    assertThat(fresh).isNotEqualTo(old);
    assertThat(next.lockHolders()).containsExactly(fresh);
    assertThat(anki.call("findCards", "{\"query\": \"deck:Orphan\"}")).as("nothing lost").hasSize(1);
    assertThat(next.sigterm()).as(next.sup.log()).isZero();
    next.assertCollectionClosed();
    next.assertNothingLeft();
  }
}
