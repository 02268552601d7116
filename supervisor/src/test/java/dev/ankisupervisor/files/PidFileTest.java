package dev.ankisupervisor.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ankisupervisor.os.ProcFs;
import dev.ankisupervisor.os.ProcessIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one pidfile format ({@code anki.pid} and {@code supervisor.pid}) against real processes. */
class PidFileTest {
  @TempDir Path dir;

  @Test
  void namesTheLiveProcessWhenPidAndStartTimeMatch() throws Exception {
    Process sleeper = new ProcessBuilder("sleep", "600").start();
    try {
      ProcessIdentity id = ProcFs.system().identity(sleeper.pid()).orElseThrow();
      PidFile file = new PidFile(dir.resolve("run/anki.pid"));
      file.write(id);

      assertThat(Files.readString(file.path())).isEqualTo(sleeper.pid() + " " + id.startTicks() + "\n");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path()))).isEqualTo("rw-r--r--");
      assertThat(file.read()).contains(new PidFile.Entry(sleeper.pid(), OptionalLong.of(id.startTicks())));
      assertThat(file.liveProcess()).hasValueSatisfying(p -> {
        assertThat(p).isEqualTo(id);
        assertThat(p.cmdline()).containsExactly("sleep", "600");
      });
    } finally {
      sleeper.destroyForcibly();
      sleeper.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aReusedPidWithAnotherStartTimeIsNotOurs() throws Exception {
    ProcessIdentity self = ProcessIdentity.current();
    PidFile file = new PidFile(dir.resolve("anki.pid"));
    file.write(ProcessIdentity.recorded(self.pid(), self.startTicks() + 1));

    assertThat(file.liveProcess()).isEmpty();
    assertThat(ProcFs.system().isReused(ProcessIdentity.recorded(self.pid(), self.startTicks() + 1))).isTrue();
    assertThat(ProcFs.system().isReused(self)).isFalse();
  }

  @Test
  void aBarePidProvesNothingAndGarbageOrAGoneProcessNamesNothing() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor(30, TimeUnit.SECONDS);
    PidFile file = new PidFile(dir.resolve("supervisor.pid"));
    assertThat(file.read()).isEmpty();
    assertThat(file.liveProcess()).isEmpty();
    file.write(ProcessIdentity.recorded(p.pid(), 1));
    assertThat(file.liveProcess()).isEmpty();

    long me = ProcessHandle.current().pid();
    Files.writeString(file.path(), me + "\n");
    assertThat(file.read()).hasValue(new PidFile.Entry(me, OptionalLong.empty()));
    assertThat(file.read().orElseThrow().identity()).isEmpty();
    assertThat(file.liveProcess()).as("a bare pid, even our own, is no identity").isEmpty();

    Files.writeString(file.path(), "12 x y\n");
    assertThat(file.read()).isEmpty();
    Files.writeString(file.path(), "not a pid\n");
    assertThat(file.read()).isEmpty();
    file.delete();
    file.delete();
    assertThat(file.path()).doesNotExist();
  }

  @Test
  void identityIsPidAndStartTime() {
    ProcessIdentity self = ProcessIdentity.current();
    assertThat(self.isAlive()).isTrue();
    assertThat(ProcessIdentity.recorded(self.pid(), self.startTicks())).isEqualTo(self);
    assertThat(self.isSameProcess(ProcessIdentity.recorded(self.pid(), self.startTicks() - 1))).isFalse();
    assertThat(ProcessIdentity.recorded(self.pid(), -1).isAlive()).as("an unknown start time is never alive").isFalse();
  }
}
