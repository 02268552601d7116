package dev.ankisupervisor.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The progress lines of the journal and of a terminal, on a fake clock. */
class BackupProgressTest {
  @Test
  void linesSayFilesBytesRateAndAPercentageThatStaysBelowAHundredUntilTheEnd() {
    AtomicLong nanos = new AtomicLong(0);
    BackupProgress p = new BackupProgress(nanos::get);
    assertThat(p.line()).as("nothing before the walk ended").isEmpty();
    p.total(3002, 600L << 20);
    p.bytes(300L << 20);
    for (int i = 0; i < 1200; i++) {
      p.file();
    }
    nanos.set(2_000_000_000L);
    assertThat(p.line()).isEqualTo("1200/3002 files, 300/600 MiB, 150 MiB/s");
    assertThat(p.percentLine()).isEqualTo("50% (1200/3002 files, 300/600 MiB, 150 MiB/s)");
    p.bytes(400L << 20); // a second database pass counts again
    assertThat(p.percentLine()).startsWith("99% ");
  }
}
