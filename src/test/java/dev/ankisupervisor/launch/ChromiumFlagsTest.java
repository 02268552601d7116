package dev.ankisupervisor.launch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChromiumFlagsTest {
  @Test
  void appendsDisableGpuOnceToWhatIsThere() {
    assertThat(ChromiumFlags.withDisableGpu(null)).isEqualTo("--disable-gpu");
    assertThat(ChromiumFlags.withDisableGpu("  ")).isEqualTo("--disable-gpu");
    assertThat(ChromiumFlags.withDisableGpu("--no-sandbox ")).isEqualTo("--no-sandbox --disable-gpu");
    assertThat(ChromiumFlags.withDisableGpu("--disable-gpu --x")).isEqualTo("--disable-gpu --x");
    assertThat(ChromiumFlags.withDisableGpu("--disable-gpu-compositing")).isEqualTo("--disable-gpu-compositing --disable-gpu");
  }
}
