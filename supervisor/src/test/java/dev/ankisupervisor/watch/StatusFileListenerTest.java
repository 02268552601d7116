package dev.ankisupervisor.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ankisupervisor.ankiconnect.AddonPatches;
import dev.ankisupervisor.model.ExitReason;
import dev.ankisupervisor.model.SupervisorState;
import dev.ankisupervisor.statusfile.AnkiView;
import dev.ankisupervisor.statusfile.ConnectView;
import dev.ankisupervisor.statusfile.StatusDocument;
import dev.ankisupervisor.statusfile.SupervisorView;
import dev.ankisupervisor.statusfile.SyncView;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class StatusFileListenerTest {
  private static final Instant T0 = Instant.parse("2026-11-26T09:00:00Z");
  private static final AddonPatches PATCHES = new AddonPatches(true, false);

  private static StatusDocument before() {
    return new StatusDocument(1, T0, new SupervisorView(42, 7L, "0.1.0", T0, SupervisorState.PREPARING),
        new AnkiView(null, "server", null, 0, null),
        new ConnectView(null, null, null, PATCHES, "lacks P2"), SyncView.initial(Duration.ofMinutes(5)));
  }

  @Test
  void readySnapshotFillsSupervisorAnkiAndConnectAndKeepsPatchesAndSync() {
    SupervisorSnapshot s = SupervisorSnapshot.initial("server").withState(SupervisorState.STARTING)
        .withAnkiConnectUrl("http://127.0.0.1:8765/").withAnkiPid(OptionalLong.of(456))
        .withState(SupervisorState.READY).withReadySince(T0.plusSeconds(3))
        .withProbe(T0.plusSeconds(4), Duration.ofMillis(7)).withRestarts(2);

    StatusDocument doc = StatusFileListener.apply(before(), s);

    assertThat(doc.supervisor()).isEqualTo(new SupervisorView(42, 7L, "0.1.0", T0, SupervisorState.READY));
    assertThat(doc.anki()).isEqualTo(new AnkiView(456L, "server", T0.plusSeconds(3), 2, null));
    assertThat(doc.ankiConnect()).isEqualTo(
        new ConnectView("http://127.0.0.1:8765/", T0.plusSeconds(4), 7L, PATCHES, "lacks P2"));
    assertThat(doc.sync()).isEqualTo(before().sync());
  }

  @Test
  void crashedAnkiBecomesLastExitWithSignalAndNoPid() {
    SupervisorSnapshot s = SupervisorSnapshot.initial("server").withState(SupervisorState.BACKING_OFF)
        .withLastExit(new LastExit(T0, OptionalInt.empty(), Optional.of("SIGABRT"), ExitReason.CRASHED)).withRestarts(1);

    StatusDocument doc = StatusFileListener.apply(before(), s);

    assertThat(doc.supervisor().state()).isEqualTo(SupervisorState.BACKING_OFF);
    assertThat(doc.anki().pid()).isNull();
    assertThat(doc.anki().readySince()).isNull();
    assertThat(doc.anki().lastExit()).isEqualTo(new AnkiView.LastExit(T0, null, "SIGABRT", ExitReason.CRASHED));
  }
}
