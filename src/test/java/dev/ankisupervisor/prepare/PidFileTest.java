package dev.ankisupervisor.prepare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ankisupervisor.os.ProcFs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidFileTest {
  @TempDir Path dir;

  @Test
  void namesTheLiveProcessWhenPidAndStartTimeMatch() throws Exception {
    Process sleeper = new ProcessBuilder("sleep", "600").start();
    try {
      long ticks = ProcFs.system().identity(sleeper.pid()).orElseThrow().startTicks();
      PidFile file = new PidFile(dir.resolve("run/anki.pid"));
      file.write(sleeper.pid(), ticks);

      assertThat(Files.readString(file.path())).isEqualTo(sleeper.pid() + " " + ticks + "\n");
      assertThat(file.read()).contains(new PidFile.Entry(sleeper.pid(), ticks));
      assertThat(file.liveProcess()).hasValueSatisfying(p -> {
        assertThat(p.pid()).isEqualTo(sleeper.pid());
        assertThat(p.cmdline()).containsExactly("sleep", "600");
      });
    } finally {
      sleeper.destroyForcibly();
      sleeper.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aReusedPidWithAnotherStartTimeIsNotOurs() throws Exception {
    long self = ProcessHandle.current().pid();
    long ticks = ProcFs.system().identity(self).orElseThrow().startTicks();
    PidFile file = new PidFile(dir.resolve("anki.pid"));
    file.write(self, ticks + 1);

    assertThat(file.liveProcess()).isEmpty();
  }

  @Test
  void aGoneProcessOrAMissingOrMalformedFileNamesNothing() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor(30, TimeUnit.SECONDS);
    PidFile file = new PidFile(dir.resolve("anki.pid"));
    assertThat(file.liveProcess()).isEmpty();
    file.write(p.pid(), 1);
    assertThat(file.liveProcess()).isEmpty();
    Files.writeString(file.path(), "12 x y\n");
    assertThat(file.read()).isEmpty();
    file.delete();
    file.delete();
    assertThat(file.path()).doesNotExist();
  }
}
