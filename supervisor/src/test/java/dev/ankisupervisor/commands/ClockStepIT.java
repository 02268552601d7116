package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ankisupervisor.standin.syncserver.SyncServerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A step of the wall clock under the real {@code run} process: libfaketime (Debian's
 * {@code faketime}) preloaded into the supervisor moves {@code CLOCK_REALTIME} by what a file says,
 * read at every call, and leaves the monotonic clock alone. The machine's own clock is never touched. While an interval sync is in flight the clock
 * goes back one day (NTP correcting a clock that ran ahead): the next sync must still start one
 * interval after the one in flight started, on the monotonic clock, while the status file's times
 * follow the wall clock back.
 */
class ClockStepIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BOTH_PATCHES = "config-actions,headless-sync";
  private static final Duration INTERVAL = Duration.ofSeconds(4);
  /** Each sync takes this long in the stand-in Anki: room to step the clock while one is in flight. */
  private static final Duration SYNC_LENGTH = Duration.ofSeconds(2);
  /** How late the next sync may start under a loaded machine; a day late is what the step must not cause. */
  private static final Duration LATE = Duration.ofSeconds(20);

  private static Path libfaketime;

  @TempDir Path tmp;
  private SupervisorProcess run;
  private SyncServerProcess server;

  @BeforeAll
  static void needLibfaketime() throws IOException {
    libfaketime = findLibfaketime().orElse(null);
    if (libfaketime == null) {
      String why = "no libfaketime.so.1 under /usr/lib/*/faketime/ (Debian package faketime)";
      if ("true".equals(System.getenv("CI"))) {
        fail("CI must run the wall-clock step test, but: " + why);
      }
      System.err.println("ClockStepIT skipped: " + why);
      Assumptions.abort(why);
    }
  }

  /** Debian's multiarch place of the preload library. */
  private static Optional<Path> findLibfaketime() throws IOException {
    try (Stream<Path> dirs = Files.list(Path.of("/usr/lib"))) {
      return dirs.map(d -> d.resolve("faketime").resolve("libfaketime.so.1")).filter(Files::isReadable).findFirst();
    }
  }

  @AfterEach
  void stopAll() throws Exception {
    if (run != null) {
      run.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private JsonNode sync() {
    try {
      return JSON.readTree(Files.readString(run.stateDir.resolve("sync-status.json"))).path("sync");
    } catch (IOException e) {
      return JSON.createObjectNode(); // not written yet, or mid-replace
    }
  }

  /** A time field; null while null, missing or unreadable. */
  private static Instant instant(JsonNode field) {
    return field.isTextual() ? Instant.parse(field.asText()) : null;
  }

  /** The start of the interval sync running now, if one is: it began after the last one finished. */
  private Optional<Instant> intervalSyncInFlight() {
    JsonNode s = sync();
    Instant attempt = instant(s.path("lastAttemptAt"));
    Instant finished = instant(s.path("lastFinishedAt"));
    boolean inFlight = "interval".equals(s.path("trigger").asText()) && attempt != null
        && (finished == null || attempt.isAfter(finished));
    return inFlight ? Optional.of(attempt) : Optional.empty();
  }

  /** Sets libfaketime's offset: the file is replaced whole, so no read sees it half-written. */
  private static void offset(Path file, String offset) throws IOException {
    Path next = file.resolveSibling(file.getFileName() + ".next");
    Files.writeString(next, offset + "\n");
    Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void aOneDayStepBackDuringASyncLeavesTheNextIntervalSyncOnSchedule() throws Exception {
    server = SyncServerProcess.start(Files.createDirectories(tmp.resolve("server")),
        Map.of("SYNC_USER1", "alice:pw", "STANDIN_SYNC_SEED", "Spanish:3"));
    Path offsetFile = tmp.resolve("faketime-offset");
    offset(offsetFile, "+0");
    Path password = Files.writeString(tmp.resolve("sync-password"), "pw\n");
    run = new SupervisorProcess(tmp.resolve("run"))
        .set("--sync-url", server.url()).set("--sync-user", "alice")
        .set("--sync-password-file", password.toString()).set("--sync-interval", INTERVAL.toSeconds() + "s")
        // only the supervisor's clock steps: the stand-in Anki's start (SQLite's native loader) stalls under the preload
        .set("--anki-command", "/usr/bin/env -u LD_PRELOAD " + SupervisorProcess.standInCommand())
        .env("ANKI_STANDIN_PATCHES", BOTH_PATCHES)
        .env("ANKI_STANDIN_SYNC_DELAY_MS", Long.toString(SYNC_LENGTH.toMillis()))
        .env("LD_PRELOAD", libfaketime.toString())
        .env("FAKETIME_TIMESTAMP_FILE", offsetFile.toString())
        .env("FAKETIME_NO_CACHE", "1") // the file is read at every call, so a new offset applies at once
        .env("FAKETIME_DONT_FAKE_MONOTONIC", "1") // only CLOCK_REALTIME moves, as NTP stepping it does
        .start();
    // The preloaded libfaketime slows the JVM's own start ten-fold (seconds, not milliseconds), more
    // so on a loaded machine: the first sync gets a longer bound than the usual one.
    run.awaitLog("sync (bootstrap) ok", 1, SupervisorProcess.WAIT.multipliedBy(3));

    // An interval sync is in flight (it blocks for SYNC_LENGTH): the wall clock goes back one day.
    Instant inFlight = await().atMost(SupervisorProcess.WAIT).pollInterval(Duration.ofMillis(50))
        .alias("an interval sync in flight in " + run.stateDir)
        .until(this::intervalSyncInFlight, Optional::isPresent).orElseThrow();
    long seenInFlight = System.nanoTime();
    offset(offsetFile, "-1d");

    // The supervisor saw the step: the sync in flight ends about a day before it began, by the wall clock.
    await().atMost(SupervisorProcess.WAIT).pollInterval(Duration.ofMillis(50))
        .alias("the sync that began at " + inFlight + " finished on the stepped clock")
        .until(() -> {
          Instant finished = instant(sync().path("lastFinishedAt"));
          return finished != null && finished.isBefore(inFlight.minus(Duration.ofHours(23)));
        });
    // ... and still reports how long it took, on the monotonic clock (the stand-in's sync takes 2 s)
    assertThat(sync().path("lastDurationMs").asLong()).as("the stepped sync's duration, ms").isGreaterThan(1000);

    // The next interval sync starts one interval after the one in flight started (monotonic), not a
    // day later: a new attempt, dated on the stepped wall clock.
    Instant stepped = inFlight.minus(Duration.ofDays(1));
    Instant next = await().atMost(LATE).pollInterval(Duration.ofMillis(50))
        .alias("the next interval sync after the step (" + INTERVAL + " after the one at " + inFlight + ")")
        .until(() -> intervalSyncInFlight().filter(at -> at.isBefore(inFlight.minus(Duration.ofHours(23)))),
            Optional::isPresent).orElseThrow();
    Duration gap = Duration.ofNanos(System.nanoTime() - seenInFlight);
    assertThat(next).as("the next attempt's wall time").isBetween(stepped, stepped.plus(LATE));
    // seen at most a poll late at either end; never much earlier than one interval after the last start
    assertThat(gap).as("time between the two interval syncs, monotonic").isGreaterThan(INTERVAL.minusSeconds(1));
    assertThat(run.process().isAlive()).isTrue();
    assertThat(run.log()).doesNotContain("-> backing_off", "Anki looks hung");
  }
}
