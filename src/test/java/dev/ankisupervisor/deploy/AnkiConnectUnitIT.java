package dev.ankisupervisor.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ankisupervisor.testing.FreePort;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * systemd/anki-connect.service as shipped, under real systemd 252 in a booted Debian 12 container
 * ({@link SystemdContainer}), installed the way systemd/README.md says; a drop-in changes only
 * ExecStart (the stand-in Anki, loopback, a free port) and sets WatchdogSec=10s. It runs as user
 * anki with all of the unit's hardening. One container for the whole class; the tests run in the
 * order below and each first puts the unit in the state it needs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AnkiConnectUnitIT {
  private static final String UNIT = "anki-connect.service";
  private static final String API_KEY = "nspawn-test-key-0123456789abcdef";
  private static final String NO_INTERFACE = "nosuchts0";
  private static SystemdContainer c;
  private static Systemctl systemctl;
  private static int port;

  @BeforeAll
  static void bootAndInstall() throws Exception {
    NspawnTests.assumeContainersCanRun();
    long t0 = System.nanoTime();
    c = SystemdContainer.boot("connect");
    systemctl = new Systemctl(c);
    port = FreePort.find();
    DebianInstall.supervisorAndUnits(c);
    DebianInstall.ankiUser(c, "/var/lib/anki", port);
    DebianInstall.credentials(c, Map.of("anki-connect-api-key", API_KEY + "\n", "anki-sync-password", "not-used\n"));
    System.out.printf("[nspawn] %s booted and installed in %d ms%n", c.name(), (System.nanoTime() - t0) / 1_000_000);
  }

  @AfterAll
  static void powerOff() throws Exception {
    if (c != null) {
      c.close();
    }
  }

  /** A drop-in as an admin would write it: ExecStart with the stand-in on loopback, and a 10 s watchdog. */
  private static ExecStartDropIn standIn() throws Exception {
    return ExecStartDropIn.of(UNIT)
        .flag("--anki-command", DebianInstall.STANDIN + " anki")
        .flag("--bind", "127.0.0.1")
        .flag("--connect-port", Integer.toString(port))
        // No sync server in this container: no sync loop, so its failures do not fill the journal.
        .flag("--sync-interval", "0")
        .line("WatchdogSec=10s");
  }

  /** Installs a drop-in and starts from a clean slate (stopped, failures and the start limit reset). */
  private static void use(ExecStartDropIn dropIn) throws Exception {
    systemctl.run("stop", UNIT).ok();
    systemctl.run("reset-failed", UNIT);
    DebianInstall.dropIn(c, UNIT, dropIn.text());
  }

  private static void ensureRunningWithStandIn() throws Exception {
    if (!"active".equals(systemctl.prop(UNIT, "ActiveState"))) {
      use(standIn());
      systemctl.run("start", UNIT).ok();
    }
  }

  private static long ankiPid() throws Exception {
    return Long.parseLong(Files.readString(c.path("/var/lib/anki/anki.pid")).strip().split("\\s+")[0]);
  }

  @Test
  @Order(1)
  void startReturnsOnlyOnceDeckNamesAnswersAndStatusSaysReady() throws Exception {
    use(standIn());
    // Type=notify: `systemctl start` returns when READY=1 arrives, which the supervisor sends only
    // once deckNames answers (A4). So the very first request after it must succeed.
    systemctl.run("start", UNIT).ok();
    assertThat(NspawnTests.deckNames(port, API_KEY)).contains("\"error\":null").contains("Default");

    Map<String, String> s = systemctl.show(UNIT, "ActiveState", "SubState", "StatusText", "NRestarts", "MainPID");
    assertThat(s).containsEntry("ActiveState", "active").containsEntry("SubState", "running").containsEntry("NRestarts", "0");
    assertThat(s.get("StatusText")).startsWith("ready: AnkiConnect at http://127.0.0.1:" + port);
    // The main PID is the JVM (the launcher exec()s it), as user anki; Anki runs as anki too.
    assertThat(c.exec("ps", "-o", "user:32=,comm=", "-p", s.get("MainPID")).ok().out().strip()).matches("anki\\s+java");
    assertThat(c.exec("ps", "-o", "user=", "-p", Long.toString(ankiPid())).ok().out().strip()).isEqualTo("anki");
  }

  @Test
  @Order(2)
  void killedAnkiIsRelaunchedInsideTheUnitWithTheSameMainPid() throws Exception {
    ensureRunningWithStandIn();
    Map<String, String> before = systemctl.show(UNIT, "MainPID", "NRestarts");
    long anki = ankiPid();
    c.exec("kill", "-KILL", Long.toString(anki)).ok();

    await().atMost(SystemdContainer.WAIT).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
        .until(() -> ankiPid() != anki && NspawnTests.deckNames(port, API_KEY).contains("\"error\":null"));
    assertThat(systemctl.show(UNIT, "MainPID", "NRestarts", "ActiveState"))
        .containsEntry("MainPID", before.get("MainPID")).containsEntry("NRestarts", before.get("NRestarts"))
        .containsEntry("ActiveState", "active");
  }

  @Test
  @Order(3)
  void journalHasThePrioritiesAndNoPrefixLeaks() throws Exception {
    ensureRunningWithStandIn();
    List<JsonNode> lines = systemctl.journal("_SYSTEMD_UNIT=" + UNIT);
    assertThat(lines).isNotEmpty();
    // The supervisor's own lines reach journald with their syslog priority, and the "<N>" it
    // prefixes is consumed by journald, never part of a message.
    assertThat(lines).noneSatisfy(e -> assertThat(Systemctl.message(e)).matches("(?s)^<\\d>.*"));
    assertThat(lines).anySatisfy(e -> {
      assertThat(Systemctl.message(e)).contains("-> ready");
      assertThat(e.path("PRIORITY").asText()).isEqualTo("6");
    });
  }

  @Test
  @Order(4)
  void stoppedSupervisorIsKilledByTheWatchdogAndRestarted() throws Exception {
    ensureRunningWithStandIn();
    Map<String, String> before = systemctl.show(UNIT, "MainPID", "NRestarts");
    int restarts = Integer.parseInt(before.get("NRestarts"));
    c.exec("kill", "-STOP", before.get("MainPID")).ok();

    // WatchdogSec=10s, then RestartSec=10s as shipped, then a new start.
    systemctl.awaitProp(UNIT, "NRestarts", n -> Integer.parseInt(n) == restarts + 1);
    systemctl.awaitProp(UNIT, "ActiveState", "active"::equals);
    assertThat(systemctl.prop(UNIT, "MainPID")).isNotEqualTo(before.get("MainPID"));
    assertThat(NspawnTests.deckNames(port, API_KEY)).contains("\"error\":null");
    assertThat(systemctl.journal("-u", UNIT)).anySatisfy(e -> assertThat(Systemctl.message(e)).contains("Watchdog timeout"));
  }

  @Test
  @Order(5)
  void stopSucceedsAndLeavesNoProcess() throws Exception {
    ensureRunningWithStandIn();
    assertThat(c.exec("pgrep", "-u", "anki").ok().out().strip().lines()).hasSizeGreaterThanOrEqualTo(2);
    systemctl.run("stop", UNIT).ok();

    assertThat(systemctl.show(UNIT, "ActiveState", "Result", "ExecMainStatus", "ControlGroup"))
        .containsEntry("ActiveState", "inactive").containsEntry("Result", "success").containsEntry("ExecMainStatus", "0")
        .containsEntry("ControlGroup", "");
    SystemdContainer.Result left = c.exec("pgrep", "-a", "-u", "anki");
    assertThat(left.exit()).as("processes of user anki left: " + left.out()).isEqualTo(1);
  }

  @Test
  @Order(6)
  void badFlagFailsWithoutRestart() throws Exception {
    use(standIn().flag("--no-such-flag", null));
    assertThat(systemctl.run("start", UNIT).exit()).isNotZero();

    // RestartPreventExitStatus=64: "failed" at once, never "auto-restart".
    assertThat(systemctl.show(UNIT, "ActiveState", "SubState", "Result", "ExecMainStatus", "NRestarts"))
        .containsEntry("ActiveState", "failed").containsEntry("SubState", "failed").containsEntry("Result", "exit-code")
        .containsEntry("ExecMainStatus", "64").containsEntry("NRestarts", "0");
  }

  @Test
  @Order(7)
  void bindAddressThatNeverAppearsExits75AndIsRestarted() throws Exception {
    use(standIn().flag("--bind", "tailscale").flag("--tailscale-interface", NO_INTERFACE).flag("--network-timeout", "2s"));
    String cursor = systemctl.cursor();
    systemctl.run("start", "--no-block", UNIT).ok();

    systemctl.awaitProp(UNIT, "NRestarts", n -> Integer.parseInt(n) >= 1);
    systemctl.run("stop", UNIT).ok();
    // The first run after the cursor is complete: it exited 75 before the restart.
    String invocation = systemctl.journal("--after-cursor=" + cursor, "_SYSTEMD_UNIT=" + UNIT).get(0)
        .path("_SYSTEMD_INVOCATION_ID").asText();
    List<String> systemd = systemctl.journal("-u", UNIT).stream().map(Systemctl::message).toList();
    assertThat(systemd).anySatisfy(m -> assertThat(m).contains("Main process exited, code=exited, status=75/TEMPFAIL"));
    assertThat(systemd).anySatisfy(m -> assertThat(m).contains("Scheduled restart job, restart counter is at 1"));

    // journalctl -p err of one run shows exactly its error line, not the info lines around it.
    List<JsonNode> run = systemctl.journal("_SYSTEMD_INVOCATION_ID=" + invocation);
    List<String> errors = systemctl.journal("-p", "err", "_SYSTEMD_INVOCATION_ID=" + invocation).stream()
        .map(Systemctl::message).toList();
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0)).contains("bind address not ready after 2s").contains(NO_INTERFACE);
    assertThat(run).anySatisfy(e -> {
      assertThat(Systemctl.message(e)).contains("waiting_for_network");
      assertThat(e.path("PRIORITY").asText()).isEqualTo("6");
    });
    assertThat(run).noneSatisfy(e -> assertThat(Systemctl.message(e)).matches("(?s)^<\\d>.*"));
  }
}
