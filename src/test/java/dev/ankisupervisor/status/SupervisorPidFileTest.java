package dev.ankisupervisor.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.OptionalLong;
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
    SupervisorPidFile.write(file, me, 4242);
    assertThat(Files.readString(file)).isEqualTo(me + " 4242\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
    assertThat(SupervisorPidFile.read(file)).hasValue(new SupervisorPidFile.Entry(me, OptionalLong.of(4242)));
    assertThat(SupervisorPidFile.isAlive(me)).isTrue();
    SupervisorPidFile.delete(file);
    assertThat(Files.exists(file)).isFalse();
  }

  @Test
  void garbageOrAGonePidReadsAsNoSupervisor() throws Exception {
    Path file = Files.writeString(dir.resolve("supervisor.pid"), "not a pid\n");
    assertThat(SupervisorPidFile.read(file)).isEmpty();
    assertThat(SupervisorPidFile.isAlive(99_999_999L)).isFalse();
    assertThat(SupervisorPidFile.isAlive(-1)).isFalse();
    Files.writeString(file, "123\n");
    assertThat(SupervisorPidFile.read(file)).hasValue(new SupervisorPidFile.Entry(123, OptionalLong.empty()));
  }
}
