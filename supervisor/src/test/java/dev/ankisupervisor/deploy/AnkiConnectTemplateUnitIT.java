package dev.ankisupervisor.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ankisupervisor.testing.FreePort;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * systemd/anki-connect@.service with two instances side by side (profiles alice and bob, two ports,
 * two sets of credentials, two env files), in a booted Debian 12 container, installed as
 * systemd/README.md section 10 says; one drop-in for the template changes only settings (the
 * stand-in Anki on loopback, as ANKI_SUPERVISOR_* variables) and WatchdogSec.
 */
class AnkiConnectTemplateUnitIT {
  private static SystemdContainer c;
  private static Systemctl systemctl;
  private static final Map<String, Integer> PORTS = new LinkedHashMap<>();

  @BeforeAll
  static void bootAndInstall() throws Exception {
    c = DebianInstall.bootWithSupervisor("template");
    systemctl = new Systemctl(c);
    for (String profile : new String[] {"alice", "bob"}) {
      int port = FreePort.find();
      PORTS.put(profile, port);
      DebianInstall.ankiUser(c, "/var/lib/anki/" + profile, port);
      Files.createDirectories(c.path("/etc/anki-supervisor"));
      Files.writeString(c.path("/etc/anki-supervisor/" + profile + ".env"),
          "ANKI_SUPERVISOR_CONNECT_PORT=" + port + "\nANKI_SUPERVISOR_SYNC_USER=" + profile + "\n");
      DebianInstall.credentials(c, Map.of(profile + "/anki-connect-api-key", key(profile) + "\n",
          profile + "/anki-sync-password", "not-used\n"));
    }
    DebianInstall.dropIn(c, "anki-connect@.service", SettingsDropIn.of("anki-connect@.service")
        .flag("--anki-command", DebianInstall.STANDIN + " anki")
        .flag("--bind", "127.0.0.1")
        .flag("--sync-interval", "0")
        .line("WatchdogSec=10s").text());
  }

  @AfterAll
  static void powerOff() throws Exception {
    if (c != null) {
      c.close();
    }
  }

  private static String key(String profile) {
    return profile + "-key-0123456789abcdef";
  }

  private static long ankiPid(String profile) throws Exception {
    return Long.parseLong(Files.readString(c.path("/var/lib/anki/" + profile + "/anki.pid")).strip().split("\\s+")[0]);
  }

  @Test
  void twoInstancesRunSideBySideAndEachStopsAlone() throws Exception {
    systemctl.run("start", "anki-connect@alice.service", "anki-connect@bob.service").ok();
    for (String profile : PORTS.keySet()) {
      assertThat(NspawnTests.deckNames(PORTS.get(profile), key(profile))).contains("\"error\":null");
      assertThat(systemctl.prop("anki-connect@" + profile + ".service", "StatusText"))
          .startsWith("ready: AnkiConnect at http://127.0.0.1:" + PORTS.get(profile)).contains("profile " + profile);
    }
    // Each key opens only its own instance (A2).
    assertThat(NspawnTests.deckNames(PORTS.get("alice"), key("bob"))).contains("valid api key must be provided");

    String bobMain = systemctl.prop("anki-connect@bob.service", "MainPID");
    long bobAnki = ankiPid("bob");
    systemctl.run("stop", "anki-connect@alice.service").ok();

    assertThat(systemctl.show("anki-connect@alice.service", "ActiveState", "Result"))
        .containsEntry("ActiveState", "inactive").containsEntry("Result", "success");
    assertThat(c.exec("pgrep", "-f", "/var/lib/anki/alice").exit()).as("no process of alice left").isEqualTo(1);
    assertThat(systemctl.show("anki-connect@bob.service", "ActiveState", "MainPID", "NRestarts"))
        .containsEntry("ActiveState", "active").containsEntry("MainPID", bobMain).containsEntry("NRestarts", "0");
    assertThat(ankiPid("bob")).isEqualTo(bobAnki);
    assertThat(NspawnTests.deckNames(PORTS.get("bob"), key("bob"))).contains("\"error\":null");

    systemctl.run("stop", "anki-connect@bob.service").ok();
    assertThat(systemctl.prop("anki-connect@bob.service", "Result")).isEqualTo("success");
    assertThat(c.exec("pgrep", "-u", "anki").exit()).isEqualTo(1);
  }
}
