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
 * settings, as ANKI_SUPERVISOR_* variables (the stand-in Anki, loopback, a free port), and sets
 * WatchdogSec=10s. It runs as user
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
    long t0 = System.nanoTime();
    c = DebianInstall.bootWithSupervisor("connect");
    systemctl = new Systemctl(c);
    port = FreePort.find();
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

  /** A drop-in as an admin would write it: settings for the stand-in on loopback, and a 10 s watchdog. */
  private static SettingsDropIn standIn() throws Exception {
    return SettingsDropIn.of(UNIT)
        .flag("--anki-command", DebianInstall.STANDIN + " anki")
        .flag("--bind", "127.0.0.1")
        .flag("--connect-port", Integer.toString(port))
        // No sync server in this container: no sync loop, so its failures do not fill the journal.
        .flag("--sync-interval", "0")
        .line("WatchdogSec=10s");
  }

  /** Installs a drop-in and starts from a clean slate (stopped, failures and the start limit reset). */
  private static void use(SettingsDropIn dropIn) throws Exception {
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

    assertThat(systemctl.show(UNIT, "ActiveState", "Result", "ExecMainStatus"))
        .containsEntry("ActiveState", "inactive").containsEntry("Result", "success").containsEntry("ExecMainStatus", "0");
    SystemdContainer.Result left = c.exec("pgrep", "-a", "-u", "anki");
    assertThat(left.exit()).as("processes of user anki left: " + left.out()).isEqualTo(1);
    // systemd drops the unit's cgroup when it notices it is empty, which may come a moment after
    // `stop` returns (seen once); the processes themselves were checked at once above.
    systemctl.awaitProp(UNIT, "ControlGroup", String::isEmpty);
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

  @Test
  @Order(8)
  void realQtWebEngineRunsSandboxedAsAnkiInsideTheUnitAndStopLeavesNoHelper() throws Exception {
    // The stand-in's main window becomes a real QtWebEngine view (Debian's PyQt6 in the root), so
    // the real Chromium judges what the unit gives Anki: user anki, the hardening, no --no-sandbox (C9).
    use(standIn().line("Environment=ANKI_STANDIN_REAL_QT=1"));
    systemctl.run("start", UNIT).ok();
    assertThat(NspawnTests.deckNames(port, API_KEY)).contains("\"error\":null");

    String cgroup = systemctl.prop(UNIT, "ControlGroup");
    assertThat(cgroup).endsWith("/" + UNIT);
    long anki = ankiPid();
    String uid = c.sh("id -u anki").out().strip();
    List<String> helpers = helpers();
    assertThat(helpers).as("QtWebEngineProcess in the container:\n%s", c.exec("ps", "-eo", "pid,user,args").out()).isNotEmpty();
    for (String pid : helpers) {
      // The unified hierarchy's line; nspawn may show it under a prefix of the host's (no cgroup namespace).
      assertThat(c.sh("grep '^0::' /proc/" + pid + "/cgroup").out().strip()).as("cgroup of helper " + pid)
          .startsWith("0::/").endsWith(cgroup);
      // Real, effective, saved and file-system uid: all anki's.
      assertThat(c.sh("grep '^Uid:' /proc/" + pid + "/status").out().strip())
          .as("uid of helper " + pid).matches("Uid:(\\s+" + uid + "){4}");
    }
    // No --no-sandbox and no QTWEBENGINE_DISABLE_SANDBOX: Chromium sandboxes its renderers, which
    // it can only do with user namespaces here (NoNewPrivileges rules out the setuid sandbox), so
    // some helper lives in a user namespace of its own.
    List<String> env = List.of(c.sh("cat /proc/" + anki + "/environ").out().split("\0"));
    assertThat(env).anySatisfy(v -> assertThat(v).startsWith("QTWEBENGINE_CHROMIUM_FLAGS=").contains("--disable-gpu"))
        .noneSatisfy(v -> assertThat(v).contains("--no-sandbox"))
        .noneSatisfy(v -> assertThat(v).startsWith("QTWEBENGINE_DISABLE_SANDBOX="));
    String ankiUserNs = c.sh("readlink /proc/" + anki + "/ns/user").out().strip();
    assertThat(helpers).anySatisfy(pid ->
        assertThat(c.sh("readlink /proc/" + pid + "/ns/user").out().strip()).isNotEqualTo(ankiUserNs));

    systemctl.run("stop", UNIT).ok();
    assertThat(systemctl.show(UNIT, "ActiveState", "Result")).containsEntry("ActiveState", "inactive").containsEntry("Result", "success");
    // No process is left in the unit's cgroup, helpers included: every process's unified-hierarchy line, read at once.
    String members = c.sh("for f in /proc/[0-9]*/cgroup; do grep -qx '0::.*/" + UNIT + "' $f 2>/dev/null && echo $f; done; true").out();
    assertThat(members).as("processes still in the unit's cgroup").isEmpty();
    assertThat(helpers()).as("QtWebEngineProcess left after stop").isEmpty();
    SystemdContainer.Result left = c.exec("pgrep", "-a", "-u", "anki");
    assertThat(left.exit()).as("processes of user anki left: " + left.out()).isEqualTo(1);
    // systemd removes the emptied cgroup itself; seen a moment after `stop` returned with the helpers.
    systemctl.awaitProp(UNIT, "ControlGroup", String::isEmpty);
  }

  @Test
  @Order(9)
  void doctorCheckAndConfigWithUnitSeeTheServicesSettingsAndKey() throws Exception {
    ensureRunningWithStandIn();
    // Nothing on the command line but the unit: bind, port and the API key (a credential) come from it.
    String doctor = c.exec("anki-supervisor", "doctor", "--unit", "anki-connect", "--probe-timeout", "5s").out();
    assertThat(doctor).contains("OK unit: anki-connect.service: 2 credential file(s) present")
        .contains("OK bind-address: 127.0.0.1").contains("OK ankiconnect:");
    String config = c.exec("anki-supervisor", "config", "--unit", "anki-connect").ok().out();
    assertThat(config).contains("bind 127.0.0.1  # unit anki-connect.service ANKI_SUPERVISOR_BIND")
        .contains("connect-port " + port + "  # unit anki-connect.service ANKI_SUPERVISOR_CONNECT_PORT")
        .contains("anki-command " + DebianInstall.STANDIN + " anki  # unit anki-connect.service ANKI_SUPERVISOR_ANKI_COMMAND")
        .doesNotContain(API_KEY);
    // check finds AnkiConnect's address in the status file and the key through the unit.
    SystemdContainer.Result check = c.exec("anki-supervisor", "check", "--unit", "anki-connect");
    assertThat(check.out()).as(check.err()).contains("PASS a version");
  }

  @Test
  @Order(10)
  void aBadValueInTheEnvironmentFileIs78WithThePriority3LineAndTheStatusNamingTheVariable() throws Exception {
    use(standIn());
    Files.createDirectories(c.path("/etc/anki-supervisor"));
    Files.writeString(c.path("/etc/anki-supervisor/anki-connect.env"), "ANKI_SUPERVISOR_START_TIMEOUT=soon\n");
    try {
      String cursor = systemctl.cursor();
      assertThat(systemctl.run("start", UNIT).exit()).isNotZero();
      Map<String, String> s = systemctl.show(UNIT, "ActiveState", "ExecMainStatus", "NRestarts", "StatusText");
      assertThat(s).containsEntry("ActiveState", "failed").containsEntry("ExecMainStatus", "78").containsEntry("NRestarts", "0");
      assertThat(s.get("StatusText")).contains("ANKI_SUPERVISOR_START_TIMEOUT");
      // Where docs/operations.md sends the operator: journalctl -p warning shows it, at priority 3.
      // journald may store the line a moment after the unit failed.
      List<JsonNode> errors = await().atMost(SystemdContainer.WAIT).pollInterval(Duration.ofMillis(250))
          .until(() -> systemctl.journal("--after-cursor=" + cursor).stream()
              .filter(e -> Systemctl.message(e).contains("START_TIMEOUT")).toList(), l -> !l.isEmpty());
      assertThat(errors).as("journal lines naming the variable: %s", errors).singleElement().satisfies(e -> {
        assertThat(Systemctl.message(e)).startsWith("run: ").contains("ANKI_SUPERVISOR_START_TIMEOUT");
        assertThat(e.path("PRIORITY").asText()).isEqualTo("3");
      });
    } finally {
      Files.delete(c.path("/etc/anki-supervisor/anki-connect.env"));
    }
  }

  @Test
  @Order(11)
  void aMissingCredentialFileIs243NotRetriedAndDoctorNamesIt() throws Exception {
    use(standIn());
    String password = "/etc/anki-supervisor/credentials/anki-sync-password";
    c.exec("mv", password, password + ".aside").ok();
    try {
      assertThat(systemctl.run("start", UNIT).exit()).isNotZero();
      assertThat(systemctl.show(UNIT, "ActiveState", "ExecMainStatus", "NRestarts"))
          .containsEntry("ActiveState", "failed").containsEntry("ExecMainStatus", "243").containsEntry("NRestarts", "0");
      assertThat(c.exec("anki-supervisor", "doctor", "--unit", "anki-connect", "--probe-timeout", "1s").out())
          .contains("PROBLEM unit: LoadCredential anki-sync-password: " + password + " is missing")
          .contains("243/CREDENTIALS");
    } finally {
      c.exec("mv", password + ".aside", password).ok();
    }
  }

  @Test
  @Order(12)
  void aStopRightAfterTheStartLeavesTheUnitInactiveNotFailed() throws Exception {
    use(standIn());
    // The stop lands while the JVM is still starting (before its own SIGTERM handler): exit 143.
    c.sh("systemctl start --no-block " + UNIT + "\n"
        + "for i in $(seq 1 400); do [ \"$(systemctl show -P MainPID " + UNIT + ")\" != 0 ] && break; sleep 0.005; done\n"
        + "systemctl stop " + UNIT).ok();
    assertThat(systemctl.show(UNIT, "ActiveState", "Result")).containsEntry("ActiveState", "inactive")
        .containsEntry("Result", "success");
  }

  @Test
  @Order(13)
  void aFlagOnExecStartThatShadowsTheEnvironmentIsAWarningOfRunAndOfConfig() throws Exception {
    // An admin's drop-in that puts --bind back on ExecStart: the environment's BIND no longer counts.
    use(standIn().line("ExecStart=").line("ExecStart=/usr/local/bin/anki-supervisor run --bind 127.0.0.1"));
    SystemdContainer.Result config = c.exec("anki-supervisor", "config", "--unit", "anki-connect");
    assertThat(config.err()).contains("unit anki-connect.service: environment variable ANKI_SUPERVISOR_BIND is ignored:"
        + " its flag on the unit's ExecStart wins");
    String cursor = systemctl.cursor();
    systemctl.run("start", UNIT).ok();
    // journald may store the line a moment after `start` returned.
    List<JsonNode> warnings = await().atMost(SystemdContainer.WAIT).pollInterval(Duration.ofMillis(250))
        .until(() -> systemctl.journal("--after-cursor=" + cursor).stream()
            .filter(e -> Systemctl.message(e).contains("ANKI_SUPERVISOR_BIND is ignored")).toList(), l -> !l.isEmpty());
    assertThat(warnings).singleElement().satisfies(e -> assertThat(e.path("PRIORITY").asText()).isEqualTo("4"));
    systemctl.run("stop", UNIT).ok();
  }

  /** Container pids of the running QtWebEngineProcess helpers. */
  private static List<String> helpers() throws Exception {
    return c.sh("ps -eo pid=,args=").out().lines().map(String::strip)
        .filter(l -> l.split("\\s+", 2).length == 2 && l.split("\\s+", 2)[1].contains("QtWebEngineProcess"))
        .map(l -> l.split("\\s+", 2)[0]).toList();
  }
}
