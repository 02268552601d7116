package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ankisupervisor.files.FolderLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One owner per base folder, through real supervisor processes: a second {@code run} (or a
 * {@code prepare}) on a base that a live supervisor owns exits 78 at once naming the owner's pid and
 * changes nothing of the first; a lock left by {@code kill -9} never blocks the next run.
 */
class OneOwnerIT {
  @TempDir Path dir;
  private SupervisorProcess first;

  @AfterEach
  void cleanUp() throws Exception {
    if (first != null) {
      first.close();
    }
  }

  private long supervisorPidFileValue() throws Exception {
    return Long.parseLong(Files.readString(first.stateDir.resolve("supervisor.pid")).strip().split("\\s+")[0]);
  }

  @Test
  void secondRunOnALiveBaseExits78NamingTheOwnerAndLeavesTheFirstUntouched() throws Exception {
    first = new SupervisorProcess(dir).start();
    first.awaitReady(1);
    long anki = first.ankiPid();
    long owner = first.process().pid();
    byte[] prefs = Files.readAllBytes(first.base.resolve("prefs21.db"));

    SupervisorProcess second = new SupervisorProcess(dir, first.port, dir.resolve("second.log"));
    long started = System.nanoTime();
    try {
      second.start();
      assertThat(second.awaitExit()).as(second.log()).isEqualTo(78);
    } finally {
      // not second.close(): it kills every process mentioning the folder, the first supervisor too
      if (second.process().isAlive()) {
        second.process().destroyForcibly().waitFor();
      }
    }
    assertThat(Duration.ofNanos(System.nanoTime() - started)).as("refused at once").isLessThan(Duration.ofSeconds(20));
    assertThat(second.log()).contains("is owned by pid " + owner).contains("one supervisor per folder")
        .doesNotContain("launched Anki").doesNotContain("\tat ");

    // the first: same Anki, still alive, one launch, its own pidfile and status file, prefs21.db as it was.
    // Three probes answered after the refusal (--liveness-interval 1s) first: a harmed Anki would show by
    // now (a dead or hung one answers none, a relaunched one has another pid and a second launch line).
    first.awaitProbesAfter(Instant.now(), 3);
    assertThat(first.process().isAlive()).isTrue();
    assertThat(first.ankiPid()).isEqualTo(anki);
    assertThat(ProcessHandle.of(anki).map(ProcessHandle::isAlive)).contains(true);
    assertThat(first.count("launched Anki")).as(first.log()).isEqualTo(1);
    assertThat(supervisorPidFileValue()).isEqualTo(owner);
    assertThat(Files.readString(first.stateDir.resolve("sync-status.json"))).contains("\"pid\" : " + owner)
        .contains("\"ready\"");
    assertThat(Arrays.equals(Files.readAllBytes(first.base.resolve("prefs21.db")), prefs)).isTrue();
  }

  @Test
  void prepareOnALiveBaseExits78AndLeavesPrefsUntouched() throws Exception {
    first = new SupervisorProcess(dir).start();
    first.awaitReady(1);
    byte[] prefs = Files.readAllBytes(first.base.resolve("prefs21.db"));
    JarCommand.Result r = new JarCommand("prepare", "--base", first.base.toString(), "--bind", "127.0.0.1",
        "--connect-port", Integer.toString(first.port), "--profile", "other", "--state-dir", dir.resolve("p").toString()).run();
    assertThat(r.exit()).as(r.toString()).isEqualTo(78);
    assertThat(r.err()).contains("is owned by pid " + first.process().pid());
    assertThat(Arrays.equals(Files.readAllBytes(first.base.resolve("prefs21.db")), prefs)).isTrue();
    assertThat(first.process().isAlive()).isTrue();
  }

  @Test
  void aSecondRunSharingOnlyTheStateFolderIsRefusedToo() throws Exception {
    first = new SupervisorProcess(dir).start();
    first.awaitReady(1);
    JarCommand.Result r = new JarCommand("run", "--base", dir.resolve("other-base").toString(), "--bind", "127.0.0.1",
        "--state-dir", first.stateDir.toString(), "--anki-command", "/bin/false").run();
    assertThat(r.exit()).as(r.toString()).isEqualTo(78);
    assertThat(r.err()).contains("--state-dir").contains("is owned by pid " + first.process().pid());
  }

  @Test
  void aLockLeftByKill9NeverBlocksTheNextRun() throws Exception {
    first = new SupervisorProcess(dir).start();
    first.awaitReady(1);
    long dead = first.process().pid();
    first.process().destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no unlock
    assertThat(Files.readString(first.base.resolve(FolderLock.FILE_NAME))).startsWith(dead + " ");
    SupervisorProcess next = new SupervisorProcess(dir, first.port, dir.resolve("next.log")).start();
    try {
      next.awaitReady(1);
      assertThat(Files.readString(first.base.resolve(FolderLock.FILE_NAME))).startsWith(next.process().pid() + " ");
    } finally {
      next.close();
    }
  }
}
