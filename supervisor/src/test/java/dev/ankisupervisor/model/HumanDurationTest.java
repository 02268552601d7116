package dev.ankisupervisor.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HumanDurationTest {
  @Test
  void twoLargestUnitsUnderASecondInMilliseconds() {
    assertThat(HumanDuration.of(Duration.ZERO)).isEqualTo("0s");
    assertThat(HumanDuration.of(Duration.ofMillis(250))).isEqualTo("250ms");
    assertThat(HumanDuration.of(Duration.ofMillis(45_900))).isEqualTo("45s");
    assertThat(HumanDuration.of(Duration.ofSeconds(252))).isEqualTo("4m12s");
    assertThat(HumanDuration.of(Duration.ofMinutes(5))).isEqualTo("5m");
    assertThat(HumanDuration.of(Duration.ofSeconds(3723))).isEqualTo("1h2m");
    assertThat(HumanDuration.of(Duration.ofHours(26).plusMinutes(7))).isEqualTo("1d2h");
    assertThat(HumanDuration.of(Duration.ofSeconds(-90))).isEqualTo("-1m30s");
    // any number may stand in a status file: no overflow in milliseconds
    assertThat(HumanDuration.of(Duration.ofSeconds(Long.MAX_VALUE))).endsWith("h").startsWith("106751991167300d");
  }

  @Test
  void agoAndTheFuture() {
    Instant now = Instant.parse("2026-11-26T10:00:00Z");
    assertThat(HumanDuration.ago(now.minusSeconds(100), now)).isEqualTo("1m40s ago");
    assertThat(HumanDuration.ago(now.plusSeconds(3), now)).isEqualTo("3s in the future");
  }
}
