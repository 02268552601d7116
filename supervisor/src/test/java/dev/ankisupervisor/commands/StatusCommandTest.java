package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ankisupervisor.ankiconnect.AddonPatches;
import dev.ankisupervisor.model.ExitReason;
import dev.ankisupervisor.model.SupervisorState;
import dev.ankisupervisor.model.SyncOutcome;
import dev.ankisupervisor.model.SyncState;
import dev.ankisupervisor.model.SyncTrigger;
import dev.ankisupervisor.os.ProcessIdentity;
import dev.ankisupervisor.status.StatusWriter;
import dev.ankisupervisor.statusfile.AnkiView;
import dev.ankisupervisor.statusfile.ConnectView;
import dev.ankisupervisor.statusfile.StatusDocument;
import dev.ankisupervisor.statusfile.SupervisorView;
import dev.ankisupervisor.statusfile.SyncView;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class StatusCommandTest {
  private static final ProcessIdentity ALIVE = ProcessIdentity.current();
  private static final ProcessIdentity GONE = ProcessIdentity.recorded(99_999_999L, 1); // above Linux's largest pid_max
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

  private int run(String... args) {
    CommandLine cl = AnkiSupervisorCommand.newCommandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  private Path file() {
    return dir.resolve("sync-status.json");
  }

  private void write(ProcessIdentity pid, SupervisorState supervisorState, SyncView sync) {
    StatusDocument doc = new StatusDocument(1, now, new SupervisorView(pid, "0.1.0", now.minusSeconds(3600),
        supervisorState), new AnkiView(456L, "server", now.minusSeconds(3500), 1,
        new AnkiView.LastExit(now.minusSeconds(3550), null, "SIGABRT", ExitReason.CRASHED)),
        new ConnectView("http://100.64.0.1:8765/", now, 3L, new AddonPatches(true, true), null), sync);
    assertThat(new StatusWriter(file()).write(doc)).isTrue();
  }

  private SyncView ok(long successAgoSeconds) {
    Instant t = now.minusSeconds(successAgoSeconds);
    return new SyncView(SyncState.of(SyncOutcome.OK), SyncTrigger.INTERVAL, t, t, 900L, t, 0, t.plusSeconds(300), 300, null,
        null);
  }

  private SyncView failed(String state, long successAgoSeconds) {
    Instant t = now.minusSeconds(successAgoSeconds);
    SyncState s = SyncState.fromStatusName(state);
    return new SyncView(s, SyncTrigger.INTERVAL, now.minusSeconds(5), now.minusSeconds(4), 1000L, t, 2,
        now.plusSeconds(55), 300, null,
        new SyncView.SyncError(s.outcome().orElseThrow(), "Please check your internet connection."));
  }

  @Test
  void okWhenTheLastSyncIsRecent() {
    write(ALIVE, SupervisorState.READY, ok(60));
    assertThat(run("status", "--status-file", file().toString())).isEqualTo(0);
    // 1m, or 1m1s when the run crossed a second after the file was written (its times are whole seconds).
    assertThat(out.toString()).containsPattern("^OK: supervisor ready; last successful sync 1m(1s)? ago \\(within 2"
        + " intervals of 5m\\)")
        .contains("supervisor: ready, pid " + ALIVE.pid(), "anki: pid 456, profile server", "last exit",
            "(SIGABRT)", "ankiConnect: http://100.64.0.1:8765/", "headlessSync yes", "sync: ok (interval)",
            "every 5m");
  }

  @Test
  void warningWhenTheLastSyncFailed() {
    write(ALIVE, SupervisorState.READY, failed("network_error", 200));
    assertThat(run("status", "--status-file", file().toString())).isEqualTo(1);
    assertThat(out.toString()).startsWith("WARNING: last sync network_error: Please check your internet connection.");
  }

  @Test
  void criticalWhenNoSuccessWithinThreeIntervals() {
    write(ALIVE, SupervisorState.READY, failed("network_error", 1000));
    assertThat(run("status", "--status-file", file().toString())).isEqualTo(2);
    assertThat(out.toString()).startsWith("CRITICAL: last successful sync 16m").contains("(more than 3 intervals of 5m)");
  }

  @Test
  void criticalWhenTheSupervisorIsGoneWithoutStopping() {
    write(GONE, SupervisorState.READY, ok(10));
    assertThat(run("status", "--status-file", file().toString())).isEqualTo(2);
    assertThat(out.toString()).startsWith("CRITICAL: stale status file: supervisor pid " + GONE.pid() + " is gone");
  }

  @Test
  void criticalWhenThePidNowBelongsToAnotherProcessOrNoStartTimeIsRecorded() {
    write(ProcessIdentity.recorded(ALIVE.pid(), ALIVE.startTicks() - 1), SupervisorState.READY, ok(10));
    assertThat(run("status", "--status-file", file().toString())).isEqualTo(2);
    assertThat(out.toString()).startsWith("CRITICAL: stale status file: supervisor pid " + ALIVE.pid() + " is gone"
        + " (no process with that pid and start time runs)");
  }

  @Test
  void unknownWhenTheFileIsMissing() {
    assertThat(run("status", "--status-file", file().toString())).isEqualTo(3);
    assertThat(out.toString()).startsWith("UNKNOWN: status file " + file() + " does not exist");
  }

  @Test
  void unknownWhenTheFileIsNotOurs() throws Exception {
    Files.writeString(file(), "{\"schema\": 7, \"supervisor\": {}}");
    assertThat(run("status", "--status-file", file().toString())).isEqualTo(3);
    assertThat(out.toString()).contains("has schema 7");
  }

  @Test
  void jsonPrintsTheFileVerbatimWithTheSameExitCode() throws Exception {
    write(ALIVE, SupervisorState.READY, failed("auth_failed", 10));
    assertThat(run("status", "--json", "--status-file", file().toString())).isEqualTo(2);
    assertThat(out.toString()).isEqualTo(Files.readString(file()));
  }

  @Test
  void withoutPicocliTheSameOutputAndCodeForMonitoringsArguments() throws Exception {
    write(ALIVE, SupervisorState.READY, failed("auth_failed", 10));
    String f = file().toString();
    for (String[] args : new String[][] {{"status", "--status-file", f}, {"status", "--status-file=" + f},
        {"status", "--json", "--status-file", f}, {"status", "--status-file", f + ".missing"},
        {"status", "--status-file", f + ".missing", "--json"}}) {
      StringWriter qOut = new StringWriter();
      StringWriter qErr = new StringWriter();
      java.util.OptionalInt quick = StatusCommand.quick(args, java.util.Map.of(), new PrintWriter(qOut),
          new PrintWriter(qErr));
      out.getBuffer().setLength(0);
      err.getBuffer().setLength(0);
      int code = run(args);
      assertThat(quick).as(String.join(" ", args)).hasValue(code);
      assertThat(qOut.toString()).isEqualTo(out.toString());
      assertThat(qErr.toString()).isEqualTo(err.toString());
    }
  }

  @Test
  void anythingElseIsLeftToPicocli() {
    String f = file().toString();
    for (String[] args : new String[][] {{"status", "--help"}, {"status", "-h"}, {"status", "--status-flie", "x"},
        {"status", "--json", "--json"}, {"status", "--status-file"}, {"status", "--status-file", f, "--status-file", f},
        {"status", "--", "x"}, {"status", "--status-file", "a\0b"}, {"sync-now"}, {}}) {
      assertThat(StatusCommand.quick(args, java.util.Map.of(), new PrintWriter(new StringWriter()),
          new PrintWriter(new StringWriter()))).as(String.join(" ", args)).isEmpty();
    }
    assertThat(StatusCommand.quick(new String[] {"status"}, java.util.Map.of("ANKI_SUPERVISOR_STATUS_FILE", f),
        new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))).isEmpty();
  }

  @Test
  void badFlagIsUnknownNotCritical() {
    assertThat(run("status", "--status-flie", "x")).isEqualTo(3);
    assertThat(err.toString()).contains("Unknown option");
  }
}
