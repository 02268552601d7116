package dev.ankisupervisor.status;

import dev.ankisupervisor.files.AtomicFile;
import dev.ankisupervisor.model.SupervisorState;
import dev.ankisupervisor.statusfile.StatusDocument;
import dev.ankisupervisor.statusfile.SyncView;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the Prometheus text file ({@code --metrics-file}, node_exporter's textfile collector: a
 * {@code *.prom} file replaced atomically) from each status document, counting sync attempts by
 * result as documents with a new {@code lastFinishedAt} arrive. Not thread-safe: one caller at a
 * time ({@link StatusPublisher} serialises). Never throws; failures are logged.
 */
public final class MetricsWriter {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsWriter.class);

  private final Path file;
  private final AtomicFile atomic;
  /** Attempts per sync state since the supervisor started. */
  private final Map<String, Long> attempts = new TreeMap<>();
  /** The last counted attempt's end, so one attempt is counted once. */
  private Instant lastCounted;

  public MetricsWriter(Path file) {
    this(file, new AtomicFile());
  }

  public MetricsWriter(Path file, AtomicFile atomic) {
    this.file = Objects.requireNonNull(file, "file");
    this.atomic = Objects.requireNonNull(atomic, "atomic");
  }

  /** Counts a new attempt in {@code doc}, if any, and rewrites the file; false when the write failed. */
  public boolean write(StatusDocument doc) {
    SyncView s = doc.sync();
    if (s.lastFinishedAt() != null && !s.lastFinishedAt().equals(lastCounted)) {
      attempts.merge(s.state().statusName(), 1L, Long::sum);
      lastCounted = s.lastFinishedAt();
    }
    try {
      atomic.replace(file, render(doc).getBytes(StandardCharsets.UTF_8));
      return true;
    } catch (IOException | RuntimeException e) {
      LOG.error("cannot write the metrics file {} ({}); the previous file stays; free space or fix --metrics-file",
          file, e.toString());
      return false;
    }
  }

  /** The text exposition format; pure apart from the attempt counts. */
  String render(StatusDocument doc) {
    StringBuilder b = new StringBuilder();
    SyncView s = doc.sync();
    gauge(b, "anki_supervisor_sync_last_success_timestamp_seconds",
        "Unix time of the last successful sync (0: never).", seconds(s.lastSuccessAt()));
    gauge(b, "anki_supervisor_sync_last_duration_seconds", "Duration of the last sync attempt.",
        s.lastDurationMs() == null ? "0" : fmt(s.lastDurationMs() / 1000.0));
    gauge(b, "anki_supervisor_sync_consecutive_failures", "Failed sync attempts since the last success.",
        Integer.toString(s.consecutiveFailures()));
    b.append("# HELP anki_supervisor_sync_attempts_total Sync attempts since the supervisor started, by result.\n");
    b.append("# TYPE anki_supervisor_sync_attempts_total counter\n");
    attempts.forEach((state, n) ->
        b.append("anki_supervisor_sync_attempts_total{result=\"").append(state).append("\"} ").append(n).append('\n'));
    b.append("# HELP anki_supervisor_anki_restarts_total Anki restarts by the supervisor.\n");
    b.append("# TYPE anki_supervisor_anki_restarts_total counter\n");
    b.append("anki_supervisor_anki_restarts_total ").append(doc.anki().restarts()).append('\n');
    gauge(b, "anki_supervisor_ready", "1 while the supervisor is ready (Anki serves AnkiConnect), else 0.",
        doc.supervisor().state() == SupervisorState.READY ? "1" : "0");
    gauge(b, "anki_supervisor_status_updated_timestamp_seconds", "Unix time this file was written.",
        seconds(doc.updatedAt()));
    return b.toString();
  }

  private static void gauge(StringBuilder b, String name, String help, String value) {
    b.append("# HELP ").append(name).append(' ').append(help).append('\n');
    b.append("# TYPE ").append(name).append(" gauge\n");
    b.append(name).append(' ').append(value).append('\n');
  }

  private static String seconds(Instant t) {
    return t == null ? "0" : fmt(t.toEpochMilli() / 1000.0);
  }

  private static String fmt(double d) {
    return String.format(Locale.ROOT, "%.3f", d);
  }
}
