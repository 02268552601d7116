package dev.ankisupervisor.watch;

import static dev.ankisupervisor.model.SupervisorState.BACKING_OFF;
import static dev.ankisupervisor.model.SupervisorState.FAILED;
import static dev.ankisupervisor.model.SupervisorState.PREPARING;
import static dev.ankisupervisor.model.SupervisorState.READY;
import static dev.ankisupervisor.model.SupervisorState.STARTING;
import static dev.ankisupervisor.model.SupervisorState.STOPPED;
import static dev.ankisupervisor.model.SupervisorState.STOPPING;
import static dev.ankisupervisor.model.SupervisorState.WAITING_FOR_NETWORK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ankisupervisor.model.SupervisorState;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LifecycleTest {
  private final Lifecycle lifecycle = new Lifecycle(SupervisorSnapshot.initial("server"));
  private final RecordingListener recorder = new RecordingListener();

  @Test
  void normalLifeIsRecordedInOrder() {
    lifecycle.addListener(recorder);
    lifecycle.moveTo(WAITING_FOR_NETWORK, "test");
    lifecycle.moveTo(STARTING, "test");
    lifecycle.moveTo(READY, "test");
    lifecycle.moveTo(STOPPING, "test");
    lifecycle.moveTo(STOPPED, "test");
    assertThat(recorder.states()).containsExactly(PREPARING, WAITING_FOR_NETWORK, STARTING, READY, STOPPING, STOPPED);
  }

  @Test
  void illegalMoveThrowsNamingBothStates() {
    assertThatThrownBy(() -> lifecycle.moveTo(READY, "test"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("cannot go from PREPARING to READY");
    assertThat(lifecycle.state()).isEqualTo(PREPARING);
  }

  @Test
  void terminalStatesAreNeverLeft() {
    for (SupervisorState terminal : new SupervisorState[] {STOPPED, FAILED}) {
      assertThat(terminal.isTerminal()).isTrue();
      assertThat(Arrays.stream(SupervisorState.values()).filter(terminal::canMoveTo)).isEmpty();
    }
    assertThat(Arrays.stream(SupervisorState.values()).filter(SupervisorState::isTerminal))
        .containsExactly(STOPPED, FAILED);
  }

  @Test
  void everyStateCanReachATerminalState() {
    for (SupervisorState s : SupervisorState.values()) {
      assertThat(s.isTerminal() || s.canMoveTo(FAILED) || s.canMoveTo(STOPPED)).as(s.name()).isTrue();
    }
  }

  @Test
  void statusNamesAreLowerCaseAsInTheStatusFileSchema() {
    assertThat(WAITING_FOR_NETWORK.statusName()).isEqualTo("waiting_for_network");
    assertThat(BACKING_OFF.statusName()).isEqualTo("backing_off");
  }

  @Test
  void readySinceIsDroppedWhenLeavingReady() {
    lifecycle.moveTo(WAITING_FOR_NETWORK, "test");
    lifecycle.moveTo(STARTING, "test");
    lifecycle.moveTo(READY, "test");
    lifecycle.update(s -> s.withReadySince(Instant.EPOCH));
    assertThat(lifecycle.snapshot().readySince()).isPresent();
    lifecycle.moveTo(BACKING_OFF, "test");
    assertThat(lifecycle.snapshot().readySince()).isEmpty();
  }

  @Test
  void unchangedUpdateTellsNoListener() {
    lifecycle.addListener(recorder);
    lifecycle.update(s -> s);
    assertThat(recorder.snapshots()).isEmpty();
  }

  @Test
  void failingListenerDoesNotStopTheOthers() {
    lifecycle.addListener((p, c) -> {
      throw new IllegalStateException("boom");
    });
    lifecycle.addListener(recorder);
    lifecycle.moveTo(WAITING_FOR_NETWORK, "test");
    assertThat(recorder.states()).containsExactly(PREPARING, WAITING_FOR_NETWORK);
  }

  @Test
  void onlySyncsWhileReady() {
    assertThat(Arrays.stream(SupervisorState.values()).filter(SupervisorState::acceptsSync)).containsExactly(READY);
  }
}
