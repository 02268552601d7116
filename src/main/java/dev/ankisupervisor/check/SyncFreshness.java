package dev.ankisupervisor.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ankisupervisor.files.TextFile;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Step g: reads the supervisor's status file (schema 1, docs/status.md) with Jackson's tree model and
 * judges whether the last successful sync is at most two sync intervals old. Stateless apart from
 * its inputs; any thread.
 */
final class SyncFreshness {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Path statusFile;
  private final Optional<Duration> intervalFlag;
  private final Clock clock;

  SyncFreshness(Path statusFile, Optional<Duration> intervalFlag, Clock clock) {
    this.statusFile = statusFile;
    this.intervalFlag = intervalFlag;
    this.clock = clock;
  }

  StepResult check() {
    JsonNode root;
    try {
      root = MAPPER.readTree(TextFile.read(statusFile, TextFile.SETTINGS_MAX_BYTES));
    } catch (NoSuchFileException e) {
      return fail("status file " + statusFile + " does not exist; is the supervisor running with this --status-file?");
    } catch (IOException e) {
      return fail("status file " + statusFile + " is unreadable or not JSON (" + e.getMessage().lines().findFirst().orElse("")
          + "); the supervisor writes it atomically, so check --status-file points at sync-status.json");
    }
    if (root == null || root.path("schema").asInt(-1) != 1 || !root.path("sync").isObject()) {
      return fail("status file " + statusFile + " is not a schema 1 status file (no \"schema\": 1 with a \"sync\" object); "
          + "check --status-file");
    }
    JsonNode sync = root.get("sync");
    String state = sync.path("state").asText("unknown");
    if (state.equals("disabled")) {
      return StepResult.skip(CheckStep.STATUS_FILE, "sync is disabled in the supervisor (sync.state disabled)");
    }
    Duration interval = intervalFlag.orElseGet(() -> intervalOf(sync));
    Duration limit = interval.multipliedBy(2);
    JsonNode last = sync.path("lastSuccessAt");
    if (!last.isTextual()) {
      return fail("no sync has succeeded yet (sync.state " + state + errorOf(sync) + "); see `anki-supervisor status`");
    }
    Instant at;
    try {
      at = Instant.parse(last.asText());
    } catch (DateTimeException e) {
      return fail("sync.lastSuccessAt " + last.asText() + " is not an RFC 3339 UTC time; the status file is damaged");
    }
    Duration age = Duration.between(at, clock.instant());
    String ago = age.isNegative() ? "in the future by " + human(age.negated()) : human(age) + " ago";
    if (age.compareTo(limit) > 0) {
      return fail("last successful sync at " + at + ", " + ago + ", older than two intervals (2 x " + human(interval)
          + "); sync.state " + state + errorOf(sync) + "; see `anki-supervisor status` and the journal");
    }
    return StepResult.pass(CheckStep.STATUS_FILE,
        "last successful sync at " + at + ", " + ago + " (limit 2 x " + human(interval) + "), sync.state " + state);
  }

  private static Duration intervalOf(JsonNode sync) {
    JsonNode n = sync.path("intervalSeconds");
    // Any number may stand in the file: clamp so "2 x interval" cannot overflow.
    long seconds = n.canConvertToLong() ? Math.min(n.asLong(0), 1L << 40) : 1L << 40;
    return seconds > 0 ? Duration.ofSeconds(seconds) : CheckOptions.DEFAULT_SYNC_INTERVAL;
  }

  private static String errorOf(JsonNode sync) {
    JsonNode error = sync.path("error");
    return error.isObject() ? ", last error " + error.path("kind").asText("?") + ": " + error.path("message").asText("") : "";
  }

  /** {@code 1h2m3s}, {@code 5m}, {@code 42s}, {@code 250ms}. */
  static String human(Duration d) {
    if (d.compareTo(Duration.ofSeconds(1)) < 0) {
      return d.toMillis() + "ms";
    }
    StringBuilder sb = new StringBuilder();
    if (d.toHours() > 0) {
      sb.append(d.toHours()).append('h');
    }
    if (d.toMinutesPart() > 0) {
      sb.append(d.toMinutesPart()).append('m');
    }
    if (d.toSecondsPart() > 0 || sb.length() == 0) {
      sb.append(d.toSecondsPart()).append('s');
    }
    return sb.toString();
  }

  private static StepResult fail(String detail) {
    return StepResult.fail(CheckStep.STATUS_FILE, detail);
  }
}
