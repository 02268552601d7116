package dev.ankisupervisor.standin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ankisupervisor.testing.AddonDir;
import dev.ankisupervisor.testing.Prefs;
import dev.ankisupervisor.testing.StandInAnkiProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Signals (C6) and the fault knobs, with real signals and real timing. */
class StandInAnkiSignalsIT extends StandInRuns {

  @Test
  void sigtermBeforeMainWindowKillsAtOnce() throws Exception {
    Path tmp = tmpDir();
    StandInAnkiProcess anki = start(seeded("server").tmpDir(tmp).env("ANKI_STANDIN_STARTUP_DELAY_MS", "60000"));
    // Its single-instance socket is the last step before the startup delay: it waits for its main window now.
    awaitSingleInstanceSocket(tmp);
    assertThat(anki.outputText()).doesNotContain("ready: profile");
    anki.signal("TERM");
    assertThat(anki.awaitExit(Duration.ofSeconds(15))).isEqualTo(143);
    assertThat(base.resolve("server/collection.anki2")).doesNotExist();
  }

  @Test
  void startupDelayKeepsAnkiConnectClosedUntilTheMainWindow() throws Exception {
    StandInAnkiProcess anki = start(seeded("server").env("ANKI_STANDIN_STARTUP_DELAY_MS", "3000"));
    anki.waitForOutput("Starting Anki", WAIT);
    long t0 = System.nanoTime();
    assertThat(portOpen()).isFalse();
    anki.waitForApi(WAIT);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThan(Duration.ofMillis(1500));
  }

  @Test
  void sigtermIsIgnoredWhileNoCollectionIsOpen() throws Exception {
    Prefs.empty().profile("alpha").profile("beta").write(base);
    AddonDir.write(base, port);
    StandInAnkiProcess anki = start(StandInAnkiProcess.builder(base).port(port));
    anki.waitForOutput("stuck in profile chooser dialog", WAIT);
    anki.signal("TERM");
    anki.waitForOutput("SIGTERM ignored: no collection open", WAIT);
    anki.signal("INT");
    anki.waitForOutput("SIGINT ignored: no collection open", WAIT);
    assertThat(anki.isAlive()).isTrue();
  }

  @Test
  void sigintClosesCleanlyWithCloseDelay() throws Exception {
    StandInAnkiProcess anki = start(seeded("server").env("ANKI_STANDIN_CLOSE_DELAY_MS", "1500"));
    anki.waitForOutput("ready: profile server open", WAIT);
    long t0 = System.nanoTime();
    anki.signal("INT");
    assertThat(anki.awaitExit(WAIT)).isZero();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
    assertThat(Path.of(base + "/server/collection.anki2-wal")).doesNotExist();
  }

  @Test
  void ignoreSigtermKnobKeepsRunningButSigintStillCloses() throws Exception {
    StandInAnkiProcess anki = start(seeded("server").env("ANKI_STANDIN_IGNORE_SIGTERM", "1"));
    anki.waitForOutput("ready: profile server open", WAIT);
    anki.signal("TERM");
    anki.waitForOutput("SIGTERM ignored (ANKI_STANDIN_IGNORE_SIGTERM)", WAIT);
    assertThat(anki.isAlive()).isTrue();
    anki.signal("INT");
    assertThat(anki.awaitExit(WAIT)).isZero();
  }

  @Test
  void crashKnobDiesBySigabrt() throws Exception {
    StandInAnkiProcess anki = start(seeded("server").env("ANKI_STANDIN_CRASH_AFTER_MS", "500"));
    assertThat(anki.awaitExit(WAIT)).isEqualTo(134);
    assertThat(anki.outputText()).contains("ANKI_STANDIN_CRASH_AFTER_MS");
  }

  @Test
  void exitKnobExitsWithTheGivenCode() throws Exception {
    StandInAnkiProcess anki = start(seeded("server")
        .env("ANKI_STANDIN_EXIT_AFTER_MS", "500").env("ANKI_STANDIN_EXIT_CODE", "7"));
    assertThat(anki.awaitExit(WAIT)).isEqualTo(7);
  }

  @Test
  void apiHangKnobStopsAnswering() throws Exception {
    StandInAnkiProcess anki = start(seeded("server").env("ANKI_STANDIN_API_HANG_AFTER_MS", "100"));
    anki.waitForOutput("AnkiConnect listening", WAIT);
    // 100 ms after its start the next request hangs: asked until one is not answered within 2 s.
    await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> catchTimeout(anki));
    anki.waitForOutput("AnkiConnect hung", WAIT);
    assertThat(anki.isAlive()).isTrue();
  }

  @Test
  void spawnChildSharesGroupOutlivesSigkillAndStopsOnCleanClose() throws Exception {
    StandInAnkiProcess anki = start(seeded("server").env("ANKI_STANDIN_SPAWN_CHILD", "1"));
    anki.waitForOutput("ready: profile server open", WAIT);
    ProcessHandle child = anki.process().descendants().findFirst().orElseThrow();
    assertThat(pgid(child.pid())).isEqualTo(pgid(anki.pid()));
    anki.signal("TERM");
    assertThat(anki.awaitExit(WAIT)).isZero();
    child.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);

    StandInAnkiProcess again = start(StandInAnkiProcess.builder(base).port(port).env("ANKI_STANDIN_SPAWN_CHILD", "1"));
    again.waitForOutput("ready: profile server open", WAIT);
    ProcessHandle orphan = again.process().descendants().findFirst().orElseThrow();
    again.kill();
    again.awaitExit(WAIT);
    // Not "still alive a while later" but "not on its way out": a process that got a fatal signal has
    // it pending or is no longer asleep, so asleep with nothing pending means SIGKILL reached the parent only.
    assertThat(orphan.isAlive()).isTrue();
    assertThat(procStatus(orphan.pid())).contains("State:\tS (sleeping)", "SigPnd:\t0000000000000000",
        "ShdPnd:\t0000000000000000");
    orphan.destroyForcibly();
  }

  @Test
  void memoryGrowthKnobGrowsResidentMemory() throws Exception {
    StandInAnkiProcess anki = start(seeded("server").env("ANKI_STANDIN_MEMORY_GROWTH_KB_PER_S", "4096"));
    anki.waitForOutput("ready: profile server open", WAIT);
    long first = rssKb(anki.pid());
    // 4 MB/s kept and touched: resident memory must pass first + 4 MB within a bounded wait (the
    // first seconds may reuse pages the JVM already touched, so no fixed sleep).
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
        .until(() -> rssKb(anki.pid()) - first > 4096);
  }

  private static boolean catchTimeout(StandInAnkiProcess anki) {
    try {
      anki.post("{\"action\":\"version\",\"version\":6}", java.util.Map.of(), Duration.ofSeconds(2));
      return false;
    } catch (java.net.SocketTimeoutException e) {
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static long pgid(long pid) throws Exception {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    List<String> fields = List.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
    return Long.parseLong(fields.get(2));
  }

  /** The lines of /proc/PID/status. */
  private static List<String> procStatus(long pid) throws Exception {
    return Files.readAllLines(Path.of("/proc/" + pid + "/status"));
  }

  private static long rssKb(long pid) throws Exception {
    Optional<String> line = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
        .filter(l -> l.startsWith("VmRSS:")).findFirst();
    return Long.parseLong(line.orElseThrow().replaceAll("\\D", ""));
  }
}
