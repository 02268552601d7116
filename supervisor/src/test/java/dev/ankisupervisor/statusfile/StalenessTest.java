package dev.ankisupervisor.statusfile;

import static dev.ankisupervisor.statusfile.Documents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ankisupervisor.model.SyncOutcome;
import dev.ankisupervisor.model.SyncState;
import dev.ankisupervisor.statusfile.Staleness.Level;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The one staleness rule, interval 300 s (the sample documents'). */
class StalenessTest {
  private static final Instant NOW = T0.plusSeconds(3600);

  @Test
  void freshUpToTwoIntervalsWarningUpToThreeThenCritical() {
    assertThat(Staleness.of(Documents.ready(NOW.minusSeconds(600)), NOW).level()).isEqualTo(Level.FRESH);
    assertThat(Staleness.of(Documents.ready(NOW.minusSeconds(601)), NOW))
        .isEqualTo(new Staleness(Level.WARNING, "last successful sync 10m1s ago (more than 2 intervals of 5m)"));
    assertThat(Staleness.of(Documents.ready(NOW.minusSeconds(900)), NOW).level()).isEqualTo(Level.WARNING);
    assertThat(Staleness.of(Documents.ready(NOW.minusSeconds(901)), NOW))
        .isEqualTo(new Staleness(Level.CRITICAL, "last successful sync 15m1s ago (more than 3 intervals of 5m)"));
  }

  @Test
  void beforeTheFirstSuccessTheAgeCountsFromTheSupervisorsStart() {
    StatusDocument never = Documents.ready(T0).withSync(SyncView.initial(Duration.ofMinutes(5)));
    assertThat(Staleness.of(never, T0.plusSeconds(60)).reason())
        .isEqualTo("no successful sync since the supervisor started 1m ago (within 2 intervals of 5m)");
    assertThat(Staleness.of(never, T0.plusSeconds(901)).level()).isEqualTo(Level.CRITICAL);
  }

  @Test
  void aFailureBeforeAnySuccessIsAWarningEvenWhenYoung() {
    StatusDocument failed = Documents.ready(T0).withSync(new SyncView(SyncState.of(SyncOutcome.NETWORK_ERROR), null,
        T0, T0, 10L, null, 1, null, 300, null, new SyncView.SyncError(SyncOutcome.NETWORK_ERROR, "offline")));
    Staleness s = Staleness.of(failed, T0.plusSeconds(30));
    assertThat(s.level()).isEqualTo(Level.WARNING);
    assertThat(s.reason()).endsWith("; the last attempt failed: network_error: offline");
  }

  @Test
  void aFailureAfterARecentSuccessIsStillFresh() {
    // status warns about the failure itself; the sync is not stale yet
    assertThat(Staleness.of(Documents.failedSync(NOW.minusSeconds(60), NOW.minusSeconds(5), "network_error"), NOW)
        .isFresh()).isTrue();
  }

  @Test
  void disabledIsFreshAndAHugeIntervalDoesNotOverflow() {
    assertThat(Staleness.of(Documents.ready(T0).withSync(SyncView.initial(Duration.ZERO)), NOW.plusSeconds(86_400))
        .isFresh()).isTrue();
    StatusDocument huge = Documents.ready(T0).withSync(new SyncView(SyncState.of(SyncOutcome.OK), null, T0, T0, 1L, T0,
        0, null, Long.MAX_VALUE, null, null));
    assertThat(Staleness.of(huge, NOW).isFresh()).isTrue();
  }
}
