package dev.ankisupervisor.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncFreshnessTest {
  private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @TempDir Path dir;

  @Test
  void syncWithinTwoIntervalsPasses() throws IOException {
    // interval 300 s from the file: 9:59 is one minute old
    StepResult r = check(status("\"ok\"", "\"2026-11-26T09:59:00Z\"", 300), Optional.empty());
    assertThat(r.outcome()).isEqualTo(StepResult.Outcome.PASS);
    assertThat(r.detail()).contains("1m ago", "limit 2 x 5m");
  }

  @Test
  void syncExactlyTwoIntervalsOldStillPassesAndOneSecondMoreFails() throws IOException {
    assertThat(check(status("\"ok\"", "\"2026-11-26T09:50:00Z\"", 300), Optional.empty()).outcome())
        .isEqualTo(StepResult.Outcome.PASS);
    StepResult r = check(status("\"network_error\"", "\"2026-11-26T09:49:59Z\"", 300), Optional.empty());
    assertThat(r.outcome()).isEqualTo(StepResult.Outcome.FAIL);
    assertThat(r.detail()).contains("10m1s ago", "older than two intervals", "network_error", "offline");
  }

  @Test
  void intervalFlagWinsOverTheFile() throws IOException {
    // 9:59 is older than 2 x 20 s
    StepResult r = check(status("\"ok\"", "\"2026-11-26T09:59:00Z\"", 300), Optional.of(Duration.ofSeconds(20)));
    assertThat(r.outcome()).isEqualTo(StepResult.Outcome.FAIL);
  }

  @Test
  void neverSyncedFails() throws IOException {
    StepResult r = check(status("\"never\"", "null", 300), Optional.empty());
    assertThat(r.outcome()).isEqualTo(StepResult.Outcome.FAIL);
    assertThat(r.detail()).contains("no sync has succeeded yet", "never");
  }

  @Test
  void disabledSyncIsSkipped() throws IOException {
    assertThat(check(status("\"disabled\"", "null", 0), Optional.empty()).outcome()).isEqualTo(StepResult.Outcome.SKIP);
  }

  @Test
  void missingAndDamagedFilesFailNamingTheFile() throws IOException {
    Path missing = dir.resolve("nope.json");
    assertThat(new SyncFreshness(missing, Optional.empty(), CLOCK).check().detail()).contains(missing.toString(), "does not exist");
    Path garbage = Files.writeString(dir.resolve("bad.json"), "{\"schema\": 1, \"sync\": ");
    assertThat(new SyncFreshness(garbage, Optional.empty(), CLOCK).check().detail()).contains("not JSON");
    Path otherSchema = Files.writeString(dir.resolve("other.json"), "{\"schema\": 2, \"sync\": {}}");
    assertThat(new SyncFreshness(otherSchema, Optional.empty(), CLOCK).check().detail()).contains("not a schema 1");
  }

  @Test
  void humanDurations() {
    assertThat(SyncFreshness.human(Duration.ofMillis(250))).isEqualTo("250ms");
    assertThat(SyncFreshness.human(Duration.ofSeconds(3723))).isEqualTo("1h2m3s");
    assertThat(SyncFreshness.human(Duration.ofMinutes(5))).isEqualTo("5m");
  }

  private StepResult check(Path file, Optional<Duration> flag) {
    return new SyncFreshness(file, flag, CLOCK).check();
  }

  private Path status(String state, String lastSuccessAt, int intervalSeconds) throws IOException {
    String error = state.equals("\"network_error\"")
        ? "{\"kind\": \"network_error\", \"message\": \"offline\"}" : "null";
    return Files.writeString(dir.resolve("sync-status.json"), """
        {"schema": 1, "updatedAt": "2026-11-26T10:00:00Z",
         "sync": {"state": %s, "lastSuccessAt": %s, "intervalSeconds": %d, "consecutiveFailures": 0, "error": %s}}
        """.formatted(state, lastSuccessAt, intervalSeconds, error));
  }
}
