package dev.ankisupervisor.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The unit files NixOS renders from nix/module.nix for the README's example (the seed's configuration
 * with backup; supervisor/src/test/resources/nix/rendered, kept current by NixModuleIT), booted unchanged under
 * real systemd 252 on a NixOS-like layout ({@link NixosLikeInstall}): the store paths they name, no
 * host programs (a drop-in hides /usr/bin and /usr/sbin), nixpkgs' DynamicUser sync server, the
 * secrets in /run/agenix passed with LoadCredential, and an interface tailscale0 holding a Tailscale
 * address (the container has a network of its own, so the shipped ports 8765 and 27701 are free).
 * Start returns once Anki is ready, the timer runs a backup of the sync server's data (stopping the
 * server by SIGINT, the module's KillSignal for nixpkgs' unit: S3, N5), stop is clean.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NixOsUnitsIT {
  private static final String UNIT = "anki-connect.service";
  private static final String SERVER = "anki-sync-server.service";
  private static final String BACKUP = "anki-sync-backup.service";
  private static final String TIMER = "anki-sync-backup.timer";
  private static final String API_KEY = "nixos-test-key";
  private static final String TAILSCALE_ADDRESS = "100.64.0.1";
  private static final String BACKUPS = "/mnt/data/backups/anki";
  private static SystemdContainer c;
  private static Systemctl systemctl;

  @BeforeAll
  static void bootNixosLikeRoot() throws Exception {
    NspawnTests.assumeContainersCanRun();
    c = SystemdContainer.boot("nixos", true);
    systemctl = new Systemctl(c);
    NixosLikeInstall.store(c);
    // What the rest of the NixOS configuration provides: agenix's secrets, users.users.anki, tailscaled's interface.
    NixosLikeInstall.secret(c, "/run/agenix/anki-connect-api-key", API_KEY);
    NixosLikeInstall.secret(c, "/run/agenix/anki-sync-password", "sync-password");
    c.sh("useradd --system --home-dir /var/lib/anki --no-create-home --shell /usr/sbin/nologin anki\n"
        + "ip link add tailscale0 type veth peer name tailscale-peer\n"
        + "ip addr add " + TAILSCALE_ADDRESS + "/32 dev tailscale0\n"
        + "ip link set tailscale-peer up\nip link set tailscale0 up\n");
    NixosLikeInstall.syncServer(c, "anki");
    for (String name : List.of(SERVER, UNIT, BACKUP, TIMER)) {
      NixosLikeInstall.unit(c, name, Files.readString(NixModuleIT.RENDERED.resolve(name)));
    }
    Files.writeString(c.path("/etc/tmpfiles.d/anki-supervisor.conf"), Files.readString(NixModuleIT.RENDERED.resolve("tmpfiles.conf")));
    c.sh("systemd-tmpfiles --create /etc/tmpfiles.d/anki-supervisor.conf");
  }

  @AfterAll
  static void powerOff() throws Exception {
    if (c != null) {
      c.close();
    }
  }

  @Test
  @Order(1)
  void theSyncServerIsLaidOutAsNixpkgsDoesIt() throws Exception {
    systemctl.run("start", SERVER).ok();
    systemctl.awaitProp(SERVER, "ActiveState", "active"::equals);
    await().atMost(SystemdContainer.WAIT).ignoreExceptions().until(() -> python("import urllib.request as u;"
        + " print(u.urlopen('http://[::1]:27701/health', timeout=5).status)").strip().equals("200"));
    assertThat(c.exec("readlink", "/var/lib/anki-sync-server").ok().out().strip()).isEqualTo("private/anki-sync-server");
    assertThat(c.path(BACKUPS)).as("tmpfiles made the backup destination").isDirectory();
  }

  @Test
  @Order(2)
  void startReturnsOnceAnkiIsReadyWithNothingFromTheHostsPath() throws Exception {
    systemctl.run("start", UNIT).ok();
    assertThat(systemctl.show(UNIT, "ActiveState", "StatusText").get("StatusText")).startsWith("ready");
    String reply = NspawnTests.deckNamesInside(c, TAILSCALE_ADDRESS, 8765, API_KEY);
    assertThat(reply).contains("\"error\": null");
    String main = systemctl.prop(UNIT, "MainPID");
    String environ = c.exec("cat", "/proc/" + main + "/environ").ok().out();
    assertThat(environ).contains("PATH=" + NixosLikeInstall.wrapperPath() + ":" + NixosLikeInstall.store("coreutils") + "/bin:");
    assertThat(systemctl.journal("_SYSTEMD_UNIT=" + UNIT).stream().map(Systemctl::message))
        .anySatisfy(m -> assertThat(m).contains("its own process group, through " + NixosLikeInstall.store("util-linux") + "/bin/setsid"))
        .noneSatisfy(m -> assertThat(m).containsAnyOf("not found", "Cannot run program"));
    // The startup sync reached the DynamicUser server: the user's collection is in its real folder.
    await().atMost(SystemdContainer.WAIT)
        .until(() -> Files.exists(c.path("/var/lib/private/anki-sync-server/anki/collection.anki2")));
  }

  @Test
  @Order(3)
  void theTimerBacksUpTheDynamicUserServersData() throws Exception {
    // Only when it fires changes: now instead of daily within an hour.
    DebianInstall.dropIn(c, TIMER, "[Timer]\nOnCalendar=\nOnActiveSec=1s\nRandomizedDelaySec=0\n");
    String serverBefore = systemctl.prop(SERVER, "MainPID");
    systemctl.run("start", TIMER).ok();
    systemctl.awaitProp(BACKUP, "ExecMainExitTimestampMonotonic", v -> !v.equals("0"));
    assertThat(systemctl.show(BACKUP, "Result", "ExecMainStatus"))
        .containsEntry("Result", "success").containsEntry("ExecMainStatus", "0");
    var last = new ObjectMapper().readTree(c.path(BACKUPS + "/last-backup.json").toFile());
    assertThat(last.path("ok").asBoolean()).as(last.toString()).isTrue();
    List<Path> copies;
    try (var s = Files.list(c.path(BACKUPS))) {
      copies = s.filter(p -> p.getFileName().toString().matches("\\d{8}T\\d{6}Z")).toList();
    }
    assertThat(copies).hasSize(1);
    assertThat(copies.get(0).resolve("anki/collection.anki2")).isRegularFile();
    // backup.stopServer (on with the local server): stopped for the copy, started again.
    systemctl.awaitProp(SERVER, "ActiveState", "active"::equals);
    assertThat(systemctl.prop(SERVER, "MainPID")).isNotEqualTo(serverBefore);
    // ... by SIGINT (the module's KillSignal for nixpkgs' unit, N5): the server closed the collection
    // the startup sync wrote, checkpointed (S3), where SIGTERM would have ended it at once.
    assertThat(systemctl.journal("_SYSTEMD_UNIT=" + SERVER).stream().map(Systemctl::message))
        .anySatisfy(m -> assertThat(m).contains("SIGINT: closing collections"))
        .anySatisfy(m -> assertThat(m).contains("closed /var/lib/anki-sync-server/anki/collection.anki2")
            .doesNotContain("-wal is still there"));
    assertThat(systemctl.prop(SERVER, "KillSignal")).isEqualTo("2");
  }

  @Test
  @Order(4)
  void stopIsCleanAndLeavesNoProcess() throws Exception {
    systemctl.run("stop", UNIT).ok();
    assertThat(systemctl.show(UNIT, "ActiveState", "Result", "ExecMainStatus"))
        .containsEntry("ActiveState", "inactive").containsEntry("Result", "success").containsEntry("ExecMainStatus", "0");
    assertThat(c.exec("pgrep", "-u", "anki").exit()).as("no process of user anki").isEqualTo(1);
  }

  private static String python(String code) throws Exception {
    return c.exec(Duration.ofSeconds(30), "python3", "-c", code).ok().out();
  }
}
