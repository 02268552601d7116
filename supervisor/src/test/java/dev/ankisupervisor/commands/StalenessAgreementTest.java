package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ankisupervisor.model.SupervisorState;
import dev.ankisupervisor.model.SyncOutcome;
import dev.ankisupervisor.model.SyncState;
import dev.ankisupervisor.model.SyncTrigger;
import dev.ankisupervisor.os.ProcessIdentity;
import dev.ankisupervisor.statusfile.Documents;
import dev.ankisupervisor.statusfile.Staleness;
import dev.ankisupervisor.statusfile.StatusDocument;
import dev.ankisupervisor.statusfile.StatusJson;
import dev.ankisupervisor.statusfile.SupervisorView;
import dev.ankisupervisor.statusfile.SyncView;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * {@code status}, {@code check} and {@code doctor}, run through the command line on the same status
 * file at the same instant, give the same stale/fresh answer with the same reason: the one
 * {@link Staleness} rule. The file is what the supervisor writes, its writer this live process (so
 * {@code status}'s dead-writer rule stays out of the way), its interval an hour and its ages whole
 * minutes, so the reason's text holds for the few seconds the three commands take.
 */
class StalenessAgreementTest {
  private static final Duration INTERVAL = Duration.ofHours(1);

  @TempDir Path dir;

  private record Run(int code, String out) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cl = AnkiSupervisorCommand.newCommandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(new StringWriter()));
    return new Run(cl.execute(args), out.toString());
  }

  /**
   * The text with ages cut to whole minutes: each command judges at its own instant, a second or two
   * after the test's on a loaded machine ("30m1s" for the "30m" the test computed).
   */
  private static String wholeMinutes(String text) {
    return text.replaceAll("(\\d+m)\\d+s", "$1");
  }

  private static String line(String out, String prefix) {
    return out.lines().filter(l -> l.matches("(PASS|FAIL|SKIP|OK|PROBLEM) " + prefix + ":.*")).findFirst()
        .orElseThrow(() -> new AssertionError("no " + prefix + " line in:\n" + out));
  }

  @ParameterizedTest(name = "last success {0} min ago, never synced: {1}, last attempt failed: {2}")
  @CsvSource({
      "60, false, false",   // fresh: one interval
      "150, false, false",  // warning: past two intervals
      "200, false, false",  // critical: past three intervals
      "130, false, true",   // warning, and the last attempt failed too
      "30, true, true",     // never synced, the first attempts failed: warning while young
      "30, true, false"})   // never synced, nothing failed yet: fresh
  void statusCheckAndDoctorAgree(int minutes, boolean never, boolean failed) throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Instant at = now.minus(Duration.ofMinutes(minutes));
    SyncState state = failed ? SyncState.of(SyncOutcome.NETWORK_ERROR) : SyncState.of(SyncOutcome.OK);
    StatusDocument doc = Documents.ready(now)
        .withSupervisor(new SupervisorView(ProcessIdentity.current(), "0.1.0", never ? at : now.minus(Duration.ofDays(1)),
            SupervisorState.READY))
        .withSync(new SyncView(never && !failed ? SyncState.NEVER : state, SyncTrigger.INTERVAL, now, now, 10L,
            never ? null : at, failed ? 2 : 0, now.plus(INTERVAL), INTERVAL.toSeconds(), null,
            failed ? new SyncView.SyncError(SyncOutcome.NETWORK_ERROR, "offline") : null));
    Path file = Files.write(dir.resolve("sync-status.json"), StatusJson.toBytes(doc));
    Staleness expected = Staleness.of(doc, now);

    Run status = run("status", "--status-file", file.toString());
    int deadPort;
    try (ServerSocket s = new ServerSocket(0)) {
      deadPort = s.getLocalPort();
    }
    Run check = run("check", "--url", "http://127.0.0.1:" + deadPort + "/", "--status-file", file.toString(),
        "--timeout", "2s");
    Run doctor = run("doctor", "--status-file", file.toString(), "--bind", "127.0.0.1", "--connect-port",
        String.valueOf(deadPort), "--probe-timeout", "1s", "--base", dir.toString(), "--state-dir", dir.toString());

    String firstLine = wholeMinutes(status.out().lines().findFirst().orElseThrow());
    String g = wholeMinutes(line(check.out(), "g status-file"));
    String lastSync = wholeMinutes(line(doctor.out(), "last-sync"));
    assertThat(firstLine).contains(expected.reason());
    assertThat(g).contains(expected.reason());
    assertThat(lastSync).contains(expected.reason());
    if (expected.isFresh()) {
      // status may still warn about a failed attempt; staleness itself is not the reason then
      assertThat(g).startsWith("PASS");
      assertThat(lastSync).startsWith("OK");
      assertThat(status.code()).isEqualTo(failed ? 1 : 0);
    } else {
      assertThat(g).startsWith("FAIL g status-file: " + expected.describe());
      assertThat(lastSync).startsWith("PROBLEM last-sync: " + expected.describe());
      assertThat(status.code()).isEqualTo(expected.level() == Staleness.Level.CRITICAL ? 2 : 1);
    }
  }
}
