package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class WaitDurationConverterTest {
  private final WaitDurationConverter c = new WaitDurationConverter();

  @Test
  void readsShortFormsPlainSecondsAndIso() {
    assertThat(c.convert("120s")).isEqualTo(Duration.ofSeconds(120));
    assertThat(c.convert("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.convert("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(c.convert("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(c.convert("30")).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.convert("PT1M")).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void rejectsGarbageWithAnExample() {
    assertThatThrownBy(() -> c.convert("soon")).isInstanceOf(CommandLine.TypeConversionException.class)
        .hasMessageContaining("120s");
  }
}
