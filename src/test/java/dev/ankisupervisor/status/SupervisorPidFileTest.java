package dev.ankisupervisor.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SupervisorPidFileTest {
  @TempDir Path dir;

  @Test
  void writesReadsAndDeletesTheSupervisorsOwnPid() throws Exception {
    Path file = SupervisorPidFile.in(dir);
    assertThat(file.getFileName().toString()).isEqualTo("supervisor.pid");
    assertThat(SupervisorPidFile.read(file)).isEmpty();
    long me = ProcessHandle.current().pid();
    SupervisorPidFile.write(file, me);
    assertThat(Files.readString(file)).isEqualTo(me + "\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
    assertThat(SupervisorPidFile.read(file)).hasValue(me);
    assertThat(SupervisorPidFile.isAlive(me)).isTrue();
    assertThat(SupervisorPidFile.liveCommandLine(me)).hasValueSatisfying(c -> assertThat(c).contains("java"));
    SupervisorPidFile.delete(file);
    assertThat(Files.exists(file)).isFalse();
  }

  @Test
  void garbageOrAGonePidReadsAsNoSupervisor() throws Exception {
    Path file = Files.writeString(dir.resolve("supervisor.pid"), "not a pid\n");
    assertThat(SupervisorPidFile.read(file)).isEmpty();
    assertThat(SupervisorPidFile.isAlive(99_999_999L)).isFalse();
    assertThat(SupervisorPidFile.liveCommandLine(99_999_999L)).isEmpty();
  }
}
