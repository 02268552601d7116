package dev.ankisupervisor.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ankisupervisor.model.SupervisorState;
import dev.ankisupervisor.watch.SupervisorSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveReadyMarkTest {
  @TempDir Path tmp;

  private static SupervisorSnapshot in(SupervisorState state) {
    return SupervisorSnapshot.initial("server").withState(state);
  }

  @Test
  void marksOnlyOnceAnkiIsReady() throws Exception {
    Path mark = tmp.resolve(".app-1-run.42.ready");
    ArchiveReadyMark listener = ArchiveReadyMark.fromProperty(mark.toString()).orElseThrow();

    // a start that never got Anki ready: no mark, so the launcher drops the archive
    listener.onChange(in(SupervisorState.PREPARING), in(SupervisorState.WAITING_FOR_NETWORK));
    listener.onChange(in(SupervisorState.WAITING_FOR_NETWORK), in(SupervisorState.STARTING));
    assertThat(mark).doesNotExist();
    // ready: marked
    listener.onChange(in(SupervisorState.STARTING), in(SupervisorState.READY));
    assertThat(mark).exists();
    // later changes leave it alone
    Files.delete(mark);
    listener.onChange(in(SupervisorState.READY), in(SupervisorState.STOPPING));
    listener.onChange(in(SupervisorState.STARTING), in(SupervisorState.READY));
    assertThat(mark).doesNotExist();
  }

  @Test
  void noPropertyNoListenerAndAnUnwritableMarkIsNoError() {
    assertThat(ArchiveReadyMark.fromProperty(null)).isEmpty();
    assertThat(ArchiveReadyMark.fromProperty("")).isEmpty();
    ArchiveReadyMark listener = ArchiveReadyMark.fromProperty(tmp.resolve("no/such/folder/mark").toString()).orElseThrow();
    listener.onChange(in(SupervisorState.STARTING), in(SupervisorState.READY));
    assertThat(tmp.resolve("no")).doesNotExist();
  }
}
