package dev.ankisupervisor.launch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ankisupervisor.os.ProcFs;
import dev.ankisupervisor.os.ProcessIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The look at the child's process group, against sample /proc files: made once when it proves the group gone. */
class RunningAnkiGroupTest {
  @TempDir Path root;
  private Process process;

  @AfterEach
  void end() {
    if (process != null) {
      process.destroyForcibly();
    }
  }

  private RunningAnki reapedChild() throws Exception {
    process = new ProcessBuilder("true").start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new RunningAnki(process, ProcessIdentity.recorded(process.pid(), 1), new ProcFs(root));
  }

  /** A sample process {@code pid} in group {@code pgrp}, in state {@code state}. */
  private void sample(long pid, char state, long pgrp) throws Exception {
    Path dir = Files.createDirectories(root.resolve(Long.toString(pid)));
    Files.writeString(dir.resolve("stat"), pid + " (helper) " + state + " 1 " + pgrp
        + " " + pgrp + " 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 4242 0 0\n");
  }

  @Test
  void aGroupFoundEmptyAfterTheReapIsNotLookedAtAgain() throws Exception {
    RunningAnki child = reapedChild();

    assertThat(child.groupMembers()).isEmpty();
    // a process with the old group's number now would be another's group (the number was reused)
    sample(999_999, 'S', child.processGroup());

    assertThat(child.groupMembers()).as("gone for good: not looked at again").isEmpty();
    assertThat(child.killTree()).as("nothing to signal").isFalse();
  }

  @Test
  void aZombieLeftInTheGroupKeepsItLookedAt() throws Exception {
    RunningAnki child = reapedChild();
    sample(999_998, 'Z', child.processGroup());

    assertThat(child.groupMembers()).as("a zombie is no member").isEmpty();
    sample(999_999, 'S', child.processGroup());

    assertThat(child.groupMembers()).as("the group still existed: looked at again").containsExactly(999_999L);
  }

  @Test
  void aLookWhileTheChildRunsProvesNothing() throws Exception {
    process = new ProcessBuilder("sleep", "30").start();
    RunningAnki child = new RunningAnki(process, ProcessIdentity.recorded(process.pid(), 1), new ProcFs(root));

    assertThat(child.groupMembers()).isEmpty();
    process.destroyForcibly();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    sample(999_999, 'S', child.processGroup());

    assertThat(child.groupMembers()).containsExactly(999_999L);
  }
}
