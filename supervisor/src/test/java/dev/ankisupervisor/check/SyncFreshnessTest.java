package dev.ankisupervisor.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ankisupervisor.model.SyncOutcome;
import dev.ankisupervisor.model.SyncState;
import dev.ankisupervisor.statusfile.Documents;
import dev.ankisupervisor.statusfile.StatusDocument;
import dev.ankisupervisor.statusfile.StatusJson;
import dev.ankisupervisor.statusfile.SyncView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Step g on real status files as the supervisor writes them (interval 300 s, started at 9:00). */
class SyncFreshnessTest {
  private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @TempDir Path dir;

  @Test
  void syncWithinTwoIntervalsPasses() throws IOException {
    StepResult r = check(Documents.ready(NOW.minusSeconds(60)));
    assertThat(r.outcome()).isEqualTo(StepResult.Outcome.PASS);
    assertThat(r.detail()).contains("1m ago", "within 2 intervals of 5m", "sync.state ok");
  }

  @Test
  void syncExactlyTwoIntervalsOldStillPassesAndOneSecondMoreFails() throws IOException {
    assertThat(check(Documents.ready(NOW.minusSeconds(600))).outcome()).isEqualTo(StepResult.Outcome.PASS);
    StepResult r = check(Documents.failedSync(NOW.minusSeconds(601), NOW.minusSeconds(5), "network_error"));
    assertThat(r.outcome()).isEqualTo(StepResult.Outcome.FAIL);
    assertThat(r.detail()).contains("warning: last successful sync 10m1s ago (more than 2 intervals of 5m)",
        "network_error", "the message for network_error");
  }

  @Test
  void neverSyncedPassesWhileTheSupervisorIsYoungAndFailsOnceItIsStale() throws IOException {
    StatusDocument never = Documents.ready(NOW).withSync(SyncView.initial(Duration.ofMinutes(5)));
    assertThat(new SyncFreshness(write(never), Clock.fixed(Documents.T0.plusSeconds(60), ZoneOffset.UTC)).check()
        .outcome()).isEqualTo(StepResult.Outcome.PASS);
    StepResult late = check(never);
    assertThat(late.outcome()).isEqualTo(StepResult.Outcome.FAIL);
    assertThat(late.detail()).contains("critical: no successful sync since the supervisor started 1h ago");
  }

  @Test
  void aFailureBeforeTheFirstSuccessFails() throws IOException {
    StatusDocument failed = Documents.ready(NOW).withSync(new SyncView(SyncState.of(SyncOutcome.AUTH_FAILED), null,
        Documents.T0, Documents.T0, 10L, null, 1, null, 300, null,
        new SyncView.SyncError(SyncOutcome.AUTH_FAILED, "wrong password")));
    StepResult r = new SyncFreshness(write(failed), Clock.fixed(Documents.T0.plusSeconds(60), ZoneOffset.UTC)).check();
    assertThat(r.outcome()).isEqualTo(StepResult.Outcome.FAIL);
    assertThat(r.detail()).contains("the last attempt failed: auth_failed: wrong password");
  }

  @Test
  void disabledSyncIsSkipped() throws IOException {
    assertThat(check(Documents.ready(NOW).withSync(SyncView.initial(Duration.ZERO))).outcome())
        .isEqualTo(StepResult.Outcome.SKIP);
  }

  @Test
  void missingDamagedForeignAndPartialFilesFailNamingTheFile() throws IOException {
    Path missing = dir.resolve("nope.json");
    assertThat(new SyncFreshness(missing, CLOCK).check().detail()).contains(missing.toString(), "does not exist");
    Path garbage = Files.writeString(dir.resolve("bad.json"), "{\"schema\": 1, \"sync\": ");
    assertThat(new SyncFreshness(garbage, CLOCK).check().detail()).contains("not JSON");
    Path newer = Files.writeString(dir.resolve("other.json"), "{\"schema\": 2, \"supervisor\": {}}");
    assertThat(new SyncFreshness(newer, CLOCK).check().detail()).contains("has schema 2");
    // the same schema check status makes: a file without the supervisor's objects is not a status file
    Path partial = Files.writeString(dir.resolve("partial.json"), "{\"schema\": 1, \"sync\": {\"state\": \"ok\"}}");
    StepResult r = new SyncFreshness(partial, CLOCK).check();
    assertThat(r.outcome()).isEqualTo(StepResult.Outcome.FAIL);
    assertThat(r.detail()).contains(partial.toString(), "not an anki-supervisor status file");
  }

  private StepResult check(StatusDocument doc) throws IOException {
    return new SyncFreshness(write(doc), CLOCK).check();
  }

  private Path write(StatusDocument doc) throws IOException {
    return Files.write(dir.resolve("sync-status.json"), StatusJson.toBytes(doc));
  }
}
