package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ankisupervisor.standin.anki.RealWebView;
import dev.ankisupervisor.testing.StandInAnkiProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `run` against the stand-in whose main window is a real QtWebEngine view (ANKI_STANDIN_REAL_QT=1,
 * Debian's python3-pyqt6.qtwebengine), so the real Chromium judges the environment the supervisor
 * gives Anki (C9): as root it must get --no-sandbox, as another user nothing; its real
 * QtWebEngineProcess helpers must go with Anki. Skipped only when PyQt6's QtWebEngine cannot be
 * imported (and the unprivileged run when the tests are not root: they cannot switch user).
 */
class RealQtWebEngineIT {
  /** C9: helpers of a killed Anki exit by themselves within about 2 s; the supervisor also kills its group. */
  private static final Duration HELPERS_GONE = Duration.ofSeconds(5);
  private static final String ROOT_WARNING = "running as root: Anki gets --no-sandbox";
  /** The unprivileged user the supervisor runs as (created when missing). */
  private static final String USER = "anki-it";

  @TempDir Path dir;
  private SupervisorProcess sup;

  @BeforeAll
  static void needsRealQt() throws Exception {
    assumeTrue(RealWebView.check(System.getenv()) == 0,
        "PyQt6's QtWebEngine is not importable (install python3-pyqt6.qtwebengine); see the line above");
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (sup != null) {
      sup.close();
    }
  }

  private SupervisorProcess realQt() throws IOException {
    return new SupervisorProcess(dir).env("ANKI_STANDIN_REAL_QT", "1");
  }

  @Test
  void asRootReadyWithRealHelpersThenKillNineRelaunchesThenSigtermLeavesNothing() throws Exception {
    assumeTrue(StandInAnkiProcess.isRoot(), "the root case needs the tests to run as root");
    sup = realQt().start();
    sup.awaitReady(1);
    long first = sup.ankiPid();
    List<Long> helpers = helpersOf(first);
    assertThat(helpers).as("QtWebEngineProcess under Anki pid %d:\n%s", first, sup.log()).isNotEmpty();
    assertThat(environ(first)).anySatisfy(v -> assertThat(v).startsWith("QTWEBENGINE_CHROMIUM_FLAGS=")
        .contains("--no-sandbox", "--disable-gpu"));
    assertThat(sup.log()).doesNotContain("XDG_RUNTIME_DIR not set").doesNotContain("zygote_host_impl_linux");

    // kill -9 of Anki: relaunched and ready, and the killed one's helpers are gone within 5 s.
    SupervisorProcess.signal(first, "KILL");
    await().atMost(HELPERS_GONE).pollInterval(Duration.ofMillis(100))
        .until(() -> helpers.stream().noneMatch(RealQtWebEngineIT::isAlive));
    sup.awaitReady(2);
    long second = sup.ankiPid();
    assertThat(second).isNotEqualTo(first);
    assertThat(helpersOf(second)).isNotEmpty();
    assertThat(sup.count(ROOT_WARNING)).as("the root warning, once per run").isEqualTo(1);

    // SIGTERM to the supervisor: exit 0 and nothing of the run left, helpers included.
    List<Long> lastHelpers = helpersOf(second);
    sup.sigterm();
    assertThat(sup.awaitExit()).as(sup.log()).isZero();
    await().atMost(SupervisorProcess.WAIT).until(() -> sup.leftovers().isEmpty()
        && lastHelpers.stream().noneMatch(RealQtWebEngineIT::isAlive));
  }

  @Test
  void asADedicatedUserReadyWithTheSandboxOn() throws Exception {
    assumeTrue(StandInAnkiProcess.isRoot(), "switching to user " + USER + " needs the tests to run as root");
    ensureUser();
    sup = realQt().prefix("setpriv", "--reuid=" + USER, "--regid=" + USER, "--init-groups", "--");
    Files.createDirectories(sup.stateDir);
    run("chown", "-R", USER + ":", dir.toString());
    sup.start();
    sup.awaitReady(1);
    long anki = sup.ankiPid();
    assertThat(Files.getAttribute(Path.of("/proc/" + anki), "unix:uid")).isNotEqualTo(0);
    assertThat(environ(anki)).anySatisfy(v -> assertThat(v).startsWith("QTWEBENGINE_CHROMIUM_FLAGS="))
        .noneSatisfy(v -> assertThat(v).contains("--no-sandbox"))
        .noneSatisfy(v -> assertThat(v).startsWith("QTWEBENGINE_DISABLE_SANDBOX="));
    assertThat(helpersOf(anki)).isNotEmpty();
    assertThat(sup.log()).doesNotContain(ROOT_WARNING);
    sup.sigterm();
    assertThat(sup.awaitExit()).as(sup.log()).isZero();
  }

  @Test
  void asRootWithTheFlagsReplacedTheRealZygoteRefusesAndTheFailureNamesC9() throws Exception {
    assumeTrue(StandInAnkiProcess.isRoot(), "the zygote refuses only root");
    // A wrapper that replaces the flags the supervisor gives Anki, as a careless --anki-command could.
    sup = realQt().set("--anki-command", "env QTWEBENGINE_CHROMIUM_FLAGS=--disable-gpu "
        + SupervisorProcess.standInCommand()).args("--max-restarts", "1", "--restart-window", "5m").start();
    assertThat(sup.awaitExit()).as(sup.log()).isEqualTo(69);
    assertThat(sup.log()).contains("ERROR:zygote_host_impl_linux.cc(90)] Running as root without --no-sandbox")
        .doesNotContain("-> ready").doesNotContain("fix the cause shown in Anki's log lines above");
    assertThat(sup.log().lines().filter(l -> l.contains("giving up:")).findFirst()).hasValueSatisfying(l ->
        assertThat(l).contains("Chromium refused to run as root", "User=anki"));
  }

  private static void ensureUser() throws Exception {
    if (new ProcessBuilder("id", USER).start().waitFor() != 0) {
      run("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", USER);
    }
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("%s: %s", List.of(cmd), out).isZero();
  }

  /** Live QtWebEngineProcess descendants of {@code pid}. */
  private static List<Long> helpersOf(long pid) {
    return ProcessHandle.of(pid).map(h -> h.descendants()
        .filter(d -> d.info().command().orElse("").endsWith("QtWebEngineProcess"))
        .map(ProcessHandle::pid).filter(RealQtWebEngineIT::isAlive).toList()).orElse(List.of());
  }

  /** Whether {@code pid} exists and is not a zombie. */
  private static boolean isAlive(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException e) {
      return false;
    }
  }

  private static List<String> environ(long pid) throws IOException {
    return Stream.of(new String(Files.readAllBytes(Path.of("/proc/" + pid + "/environ")), StandardCharsets.UTF_8)
        .split("\0")).toList();
  }
}
