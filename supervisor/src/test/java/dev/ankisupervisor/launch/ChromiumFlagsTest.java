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

  @Test
  void appendsNoSandboxOnceAsAWholeWord() {
    assertThat(ChromiumFlags.withNoSandbox("--disable-gpu")).isEqualTo("--disable-gpu --no-sandbox");
    assertThat(ChromiumFlags.withNoSandbox("--no-sandbox --disable-gpu")).isEqualTo("--no-sandbox --disable-gpu");
    assertThat(ChromiumFlags.withNoSandbox("--no-sandbox-x")).isEqualTo("--no-sandbox-x --no-sandbox");
  }

  @Test
  void zygoteRefusalIsRecognisedWhateverItsPidAndTime() {
    assertThat(ChromiumSandbox.isZygoteRefusal("[10816:10816:1129/221808.102389:ERROR:zygote_host_impl_linux.cc(90)]"
        + " Running as root without --no-sandbox is not supported. See https://crbug.com/638180.")).isTrue();
    assertThat(ChromiumSandbox.isZygoteRefusal("qt.webenginecontext: ")).isFalse();
  }
}
