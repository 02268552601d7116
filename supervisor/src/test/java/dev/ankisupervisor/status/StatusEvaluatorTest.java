package dev.ankisupervisor.status;

import static dev.ankisupervisor.statusfile.Documents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ankisupervisor.model.SupervisorState;
import dev.ankisupervisor.statusfile.Documents;
import dev.ankisupervisor.statusfile.StatusDocument;
import dev.ankisupervisor.statusfile.SyncView;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StatusEvaluatorTest {
  private static final Instant NOW = T0.plusSeconds(3600);

  @Test
  void recentSuccessIsOk() {
    Verdict v = StatusEvaluator.evaluate(Documents.ready(NOW.minusSeconds(100)), NOW, true);
    assertThat(v.health()).isEqualTo(Health.OK);
    assertThat(v.reason()).contains("last successful sync 1m40s ago");
  }

  @Test
  void successOlderThanTwoIntervalsWarns() {
    // interval 300 s: 601 s is just past two intervals, 900 s is still within three
    assertThat(StatusEvaluator.evaluate(Documents.ready(NOW.minusSeconds(599)), NOW, true).health()).isEqualTo(Health.OK);
    assertThat(StatusEvaluator.evaluate(Documents.ready(NOW.minusSeconds(601)), NOW, true).health())
        .isEqualTo(Health.WARNING);
    assertThat(StatusEvaluator.evaluate(Documents.ready(NOW.minusSeconds(900)), NOW, true).health())
        .isEqualTo(Health.WARNING);
  }

  @Test
  void noSuccessWithinThreeIntervalsIsCritical() {
    Verdict v = StatusEvaluator.evaluate(Documents.ready(NOW.minusSeconds(901)), NOW, true);
    assertThat(v.health()).isEqualTo(Health.CRITICAL);
    assertThat(v.reason()).contains("more than 3 intervals of 5m");
  }

  @Test
  void lastSyncFailedWarnsWithItsMessage() {
    Verdict v = StatusEvaluator.evaluate(
        Documents.failedSync(NOW.minusSeconds(300), NOW.minusSeconds(10), "network_error"), NOW, true);
    assertThat(v.health()).isEqualTo(Health.WARNING);
    assertThat(v.reason()).contains("network_error", "the message for network_error");
  }

  @Test
  void failuresOnlyAnOperatorCanFixAreCritical() {
    for (String state : new String[] {"auth_missing", "auth_failed", "full_sync_required"}) {
      Verdict v = StatusEvaluator.evaluate(
          Documents.failedSync(NOW.minusSeconds(60), NOW.minusSeconds(10), state), NOW, true);
      assertThat(v.health()).as(state).isEqualTo(Health.CRITICAL);
      assertThat(v.reason()).contains("the message for " + state);
    }
  }

  @Test
  void neverSyncedIsOkShortlyAfterStartAndCriticalAfterThreeIntervals() {
    StatusDocument fresh = Documents.ready(T0).withSync(SyncView.initial(java.time.Duration.ofMinutes(5)));
    assertThat(StatusEvaluator.evaluate(fresh, T0.plusSeconds(60), true).health()).isEqualTo(Health.OK);
    Verdict late = StatusEvaluator.evaluate(fresh, T0.plusSeconds(1000), true);
    assertThat(late.health()).isEqualTo(Health.CRITICAL);
    assertThat(late.reason()).contains("no successful sync since the supervisor started");
  }

  @Test
  void supervisorFailedIsCritical() {
    StatusDocument d = Documents.ready(NOW.minusSeconds(10));
    d = d.withSupervisor(d.supervisor().withState(SupervisorState.FAILED));
    assertThat(StatusEvaluator.evaluate(d, NOW, true).health()).isEqualTo(Health.CRITICAL);
  }

  @Test
  void deadSupervisorNotStoppedIsStaleAndCritical() {
    Verdict v = StatusEvaluator.evaluate(Documents.ready(NOW.minusSeconds(10)), NOW, false);
    assertThat(v.health()).isEqualTo(Health.CRITICAL);
    assertThat(v.reason()).startsWith("stale status file: supervisor pid 123 is gone")
        .endsWith("check its service (systemctl status anki-connect, or anki-connect@PROFILE)"); // the units systemd/ and nix/ install
  }

  @Test
  void cleanlyStoppedSupervisorWarnsAndIsNotStale() {
    StatusDocument d = Documents.ready(NOW.minusSeconds(10));
    d = d.withSupervisor(d.supervisor().withState(SupervisorState.STOPPED));
    Verdict v = StatusEvaluator.evaluate(d, NOW, false);
    assertThat(v.health()).isEqualTo(Health.WARNING);
    assertThat(v.reason()).contains("supervisor stopped").doesNotContain("stale");
  }

  @Test
  void disabledSyncIsOk() {
    StatusDocument d = Documents.ready(T0).withSync(SyncView.initial(java.time.Duration.ZERO));
    assertThat(StatusEvaluator.evaluate(d, NOW.plusSeconds(86400), true).health()).isEqualTo(Health.OK);
  }

  @Test
  void exitCodesAreNagios() {
    assertThat(Health.OK.exitCode()).isZero();
    assertThat(Health.WARNING.exitCode()).isEqualTo(1);
    assertThat(Health.CRITICAL.exitCode()).isEqualTo(2);
    assertThat(Health.UNKNOWN.exitCode()).isEqualTo(3);
  }
}
