package dev.ankisupervisor.status;

import static dev.ankisupervisor.statusfile.Documents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ankisupervisor.statusfile.Documents;
import dev.ankisupervisor.statusfile.StatusDocument;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsWriterTest {
  @TempDir Path dir;

  @Test
  void countsEachAttemptOnceByResultAndExposesGauges() throws Exception {
    Path file = dir.resolve("anki-supervisor.prom");
    MetricsWriter m = new MetricsWriter(file);
    StatusDocument ok = Documents.ready(T0.plusSeconds(100));
    m.write(ok);
    m.write(ok.withUpdatedAt(T0.plusSeconds(101))); // same attempt again: not counted twice
    m.write(Documents.failedSync(T0.plusSeconds(100), T0.plusSeconds(400), "timeout"));
    m.write(Documents.ready(T0.plusSeconds(700)));
    String text = Files.readString(file);
    assertThat(text).contains(
        "anki_supervisor_sync_attempts_total{result=\"ok\"} 2\n",
        "anki_supervisor_sync_attempts_total{result=\"timeout\"} 1\n",
        "anki_supervisor_sync_last_success_timestamp_seconds " + (T0.getEpochSecond() + 700) + ".000\n",
        "anki_supervisor_sync_last_duration_seconds 1.000\n",
        "anki_supervisor_anki_restarts_total 0\n",
        "anki_supervisor_ready 1\n",
        "# TYPE anki_supervisor_sync_attempts_total counter\n");
  }
}
