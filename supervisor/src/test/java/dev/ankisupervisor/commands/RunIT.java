package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ankisupervisor.config.StateFiles;
import dev.ankisupervisor.systemd.NotifyListener;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `anki-supervisor run` as a real process against the stand-in Anki (start, stop, restarts, faults). Fault
 * knobs reach the stand-in through the supervisor's environment (the child inherits it, minus the
 * scrubbed variables).
 */
class RunIT {
  @TempDir Path dir;
  private SupervisorProcess sup;

  @AfterEach
  void cleanUp() throws Exception {
    if (sup != null) {
      sup.close();
    }
  }

  private String deckNames() throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sup.port + "/"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"deckNames\",\"version\":6}")).build();
    return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void firstBootWithoutPrefsReachesReadyWithDisableGpuInTheEnvOnly() throws Exception {
    sup = new SupervisorProcess(dir).start();
    assertThat(sup.base.resolve("prefs21.db")).doesNotExist();
    sup.awaitReady(1);
    assertThat(deckNames()).contains("\"error\":null").contains("Default");
    long anki = sup.ankiPid();
    // C4: --disable-gpu goes through QTWEBENGINE_CHROMIUM_FLAGS, never argv.
    List<String> argv = List.of(new String(Files.readAllBytes(Path.of("/proc/" + anki + "/cmdline")),
        StandardCharsets.UTF_8).split("\0"));
    String environ = new String(Files.readAllBytes(Path.of("/proc/" + anki + "/environ")), StandardCharsets.UTF_8);
    assertThat(argv).doesNotContain("--disable-gpu").containsSubsequence("-b", sup.base.toString(), "-p", "server");
    assertThat(List.of(environ.split("\0"))).anySatisfy(v -> assertThat(v).startsWith("QTWEBENGINE_CHROMIUM_FLAGS=")
        .contains("--disable-gpu")).contains("QT_QPA_PLATFORM=offscreen");
    assertThat(sup.base.resolve("prefs21.db")).exists();
    assertThat(sup.base.resolve("gldriver6")).hasContent("software");
  }

  @Test
  void aStateFolderTooLongForTheSingleInstanceSocketStillReachesReady() throws Exception {
    // C5: <state>/anki-tmp/anki<40 hex> passes the 106-byte socket limit; Anki runs without the socket.
    Path deep = Files.createDirectories(dir.resolve("a-state-folder-name-long-enough-to-pass-the-unix-socket-limit"));
    sup = new SupervisorProcess(deep).start();
    assertThat(sup.stateDir.resolve("anki-tmp/anki" + "0".repeat(40)).toString().length()).isGreaterThan(106);
    sup.awaitReady(1);
    assertThat(deckNames()).contains("\"error\":null");
    assertThat(sup.log()).contains("running without it, as Anki does");
  }

  @Test
  void relativeFoldersAreTakenFromTheSupervisorsFolderInAnkisEnvironmentToo() throws Exception {
    // Anki runs in its base folder: -b, TMPDIR and XDG_RUNTIME_DIR must not be relative to it.
    sup = new SupervisorProcess(dir).relativeFolders().start();
    sup.awaitReady(1);
    long anki = sup.ankiPid();
    List<String> argv = List.of(new String(Files.readAllBytes(Path.of("/proc/" + anki + "/cmdline")),
        StandardCharsets.UTF_8).split("\0"));
    List<String> environ = List.of(new String(Files.readAllBytes(Path.of("/proc/" + anki + "/environ")),
        StandardCharsets.UTF_8).split("\0"));
    assertThat(argv).containsSubsequence("-b", sup.base.toString());
    assertThat(Path.of("/proc/" + anki + "/cwd").toRealPath()).isEqualTo(sup.base.toRealPath());
    Path tmp = StateFiles.ankiTmpDir(sup.stateDir);
    assertThat(environ).contains("TMPDIR=" + tmp, "XDG_RUNTIME_DIR=" + tmp);
    assertThat(tmp).isDirectory();
    assertThat(sup.base.resolve("prefs21.db")).exists();
  }

  @Test
  void sigtermStopsEverythingWithNoProcessLeftAndExitZero() throws Exception {
    sup = new SupervisorProcess(dir).env("ANKI_STANDIN_SPAWN_CHILD", "1").start();
    sup.awaitReady(1);
    sup.awaitLog("QtWebEngineProcess");
    assertThat(sup.leftovers()).hasSizeGreaterThanOrEqualTo(2); // Anki and its helper child
    sup.sigterm();
    assertThat(sup.awaitExit()).isZero();
    assertThat(sup.log()).contains("-> stopping", "-> stopped");
    await().atMost(SupervisorProcess.WAIT).until(() -> sup.leftovers().isEmpty());
    assertThat(sup.stateDir.resolve("anki.pid")).doesNotExist();
  }

  @Test
  void crashedAnkiIsRestarted() throws Exception {
    sup = new SupervisorProcess(dir).env("ANKI_STANDIN_CRASH_AFTER_MS", "4000").start();
    sup.awaitReady(1);
    long first = sup.ankiPid();
    sup.awaitLog("crashed (SIGABRT)");
    sup.awaitReady(2);
    assertThat(sup.ankiPid()).isNotEqualTo(first);
    assertThat(sup.log()).contains("-> backing_off");
  }

  @Test
  void nonZeroExitIsRestarted() throws Exception {
    sup = new SupervisorProcess(dir).env("ANKI_STANDIN_EXIT_AFTER_MS", "4000").env("ANKI_STANDIN_EXIT_CODE", "3").start();
    sup.awaitReady(1);
    sup.awaitLog("exited with an error (code 3)");
    sup.awaitReady(2);
  }

  @Test
  void hungAnkiIsRestartedAfterMissedProbes() throws Exception {
    sup = new SupervisorProcess(dir).env("ANKI_STANDIN_API_HANG_AFTER_MS", "4000").start();
    sup.awaitReady(1);
    long first = sup.ankiPid();
    sup.awaitLog("Anki looks hung");
    sup.awaitReady(2);
    assertThat(sup.ankiPid()).isNotEqualTo(first);
    assertThat(sup.count("missed (3 of 3 in a row)")).isPositive();
  }

  @Test
  void alreadyRunningExitZeroIsAFailureAndTheCrashLoopLimitEndsWith69() throws Exception {
    // C5: a second Anki prints "Already running" and exits 0 at once; the supervisor gives each
    // instance its own TMPDIR, so this simulates it with the stand-in's exit knob.
    sup = new SupervisorProcess(dir).env("ANKI_STANDIN_EXIT_AFTER_MS", "0").env("ANKI_STANDIN_EXIT_CODE", "0")
        .args("--max-restarts", "2", "--restart-window", "5m").start();
    sup.awaitLog("exited before ready");
    assertThat(sup.awaitExit()).isEqualTo(69);
    // Three launches, each ending the C5 way; the third is one more than --max-restarts 2 allows.
    assertThat(sup.count("a quick exit 0 is what a second Anki does")).isEqualTo(3);
    assertThat(sup.log()).contains("-> backing_off", "-> failed", "giving up", "--max-restarts");
    await().atMost(SupervisorProcess.WAIT).until(() -> sup.leftovers().isEmpty());
  }

  @Test
  void sdNotifyMessagesArriveInOrder() throws Exception {
    try (NotifyListener systemd = new NotifyListener(dir.resolve("notify.sock").toString())) {
      sup = new SupervisorProcess(dir).env("NOTIFY_SOCKET", systemd.socketName()).env("WATCHDOG_USEC", "2000000").start();
      sup.awaitReady(1);
      await().atMost(SupervisorProcess.WAIT).until(() -> systemd.assignments().contains("READY=1"));
      // The stand-in never sees our systemd variables (C4).
      String environ = new String(Files.readAllBytes(Path.of("/proc/" + sup.ankiPid() + "/environ")), StandardCharsets.UTF_8);
      assertThat(environ).doesNotContain("NOTIFY_SOCKET").doesNotContain("WATCHDOG_USEC");
      sup.sigterm();
      assertThat(sup.awaitExit()).isZero();
      List<String> seen = systemd.assignments();
      assertThat(seen).containsSubsequence("STATUS=waiting for the network (bind address)", "READY=1", "STOPPING=1",
          "STATUS=stopped");
      assertThat(seen.indexOf("READY=1")).isLessThan(seen.indexOf("STOPPING=1"));
      assertThat(seen).contains("WATCHDOG=1");
      assertThat(seen).anySatisfy(a -> assertThat(a).startsWith("EXTEND_TIMEOUT_USEC="));
    }
  }

  @Test
  void networkWaitTimeoutExits75NamingTheInterface() throws Exception {
    sup = new SupervisorProcess(dir).bind("tailscale").args("--tailscale-interface", "nosuchts9")
        .set("--network-timeout", "2s").start();
    assertThat(sup.awaitExit()).isEqualTo(75);
    assertThat(sup.log()).contains("nosuchts9").contains("-> failed");
    assertThat(sup.leftovers()).isEmpty();
  }

  @Test
  void foreignProcessHoldingThePortIsRefusedWith78NamingItsPid() throws Exception {
    sup = new SupervisorProcess(dir);
    try (ServerSocket holder = new ServerSocket(sup.port, 1, InetAddress.getByName("127.0.0.1"))) {
      sup.start();
      assertThat(sup.awaitExit()).isEqualTo(78);
      assertThat(sup.log()).contains(Long.toString(ProcessHandle.current().pid())).contains("-> failed");
      assertThat(holder.isBound()).isTrue();
    }
  }

  @Test
  void ankiLeftRunningByAKilledSupervisorIsClearedByTheNextRun() throws Exception {
    sup = new SupervisorProcess(dir).start();
    sup.awaitReady(1);
    long orphan = sup.ankiPid();
    // The supervisor dies hard; its Anki (in a session of its own) keeps running: a "previous run".
    sup.process().destroyForcibly().waitFor();
    assertThat(ProcessHandle.of(orphan)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
    SupervisorProcess next = new SupervisorProcess(dir, sup.port, dir.resolve("second.log")).start();
    try {
      next.awaitReady(1);
      // Killed by the clearer; its parent (init or systemd) reaps it asynchronously, so wait (bounded).
      await().atMost(Duration.ofSeconds(15))
          .until(() -> !ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false));
      assertThat(next.ankiPid()).isNotEqualTo(orphan);
      assertThat(next.log()).contains(Long.toString(orphan));
    } finally {
      next.close();
    }
  }
}
