package dev.ankisupervisor.os;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExitStatusTest {
  @Test
  void javaExitValuesAbove128AreSignals() {
    assertThat(ExitStatus.fromJavaExitValue(0)).isEqualTo(ExitStatus.exited(0));
    assertThat(ExitStatus.fromJavaExitValue(0).isCleanExit()).isTrue();
    assertThat(ExitStatus.fromJavaExitValue(1).toString()).isEqualTo("exit 1");
    assertThat(ExitStatus.fromJavaExitValue(134)).isEqualTo(ExitStatus.killedBy(6));
    assertThat(ExitStatus.fromJavaExitValue(134).signalName()).contains("SIGABRT");
    assertThat(ExitStatus.fromJavaExitValue(137).toString()).isEqualTo("signal 9 (SIGKILL)");
    assertThat(ExitStatus.fromJavaExitValue(255)).isEqualTo(ExitStatus.exited(255));
  }
}
