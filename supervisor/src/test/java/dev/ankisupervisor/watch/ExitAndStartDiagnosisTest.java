package dev.ankisupervisor.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ankisupervisor.model.ExitReason;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ExitAndStartDiagnosisTest {
  @Test
  void exitsAreClassifiedByCodeSignalAndReadiness() {
    assertThat(ExitKind.reasonOf(OptionalInt.empty(), Optional.of("SIGABRT"), true)).isEqualTo(ExitReason.CRASHED);
    assertThat(ExitKind.reasonOf(OptionalInt.of(1), Optional.empty(), false)).isEqualTo(ExitReason.EXITED_WITH_ERROR);
    // C5: "Already running" exits 0 at once: a failure, not a stop.
    assertThat(ExitKind.reasonOf(OptionalInt.of(0), Optional.empty(), false)).isEqualTo(ExitReason.EXITED_BEFORE_READY);
    assertThat(ExitKind.hintOf(OptionalInt.of(0), Optional.empty(), false)).contains("Already running");
    assertThat(ExitKind.reasonOf(OptionalInt.of(0), Optional.empty(), true)).isEqualTo(ExitReason.QUIT_UNEXPECTEDLY);
    assertThat(ExitKind.hintOf(OptionalInt.empty(), Optional.of("SIGABRT"), false)).contains("--disable-gpu");
    assertThat(ExitKind.hintOf(OptionalInt.empty(), Optional.of("SIGABRT"), true)).isEmpty();
  }

  @Test
  void stuckStartsAreExplainedByWhatTheLastProbeSaw() {
    String url = "http://100.64.0.1:8765/";
    String noPort = StartDiagnosis.explain(new ProbeResult(ProbeResult.Kind.NO_PORT, Duration.ZERO, "refused"),
        Duration.ofSeconds(180), url, "server");
    assertThat(noPort).startsWith("Anki did not become ready within 3m: nothing answers at " + url)
        .contains("language dialog", "Startup Error", "import dialog", "could not bind");
    String noCollection = StartDiagnosis.explain(
        new ProbeResult(ProbeResult.Kind.NO_COLLECTION, Duration.ZERO, "collection is not available"),
        Duration.ofSeconds(180), url, "server");
    assertThat(noCollection).contains("profile chooser", "'server'", "locked");
    assertThat(noCollection.lines()).hasSize(1);
  }
}
