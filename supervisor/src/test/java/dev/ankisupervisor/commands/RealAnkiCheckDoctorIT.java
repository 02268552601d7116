package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ankisupervisor.testing.AddonDir;
import dev.ankisupervisor.testing.RealAnkiConnect;
import dev.ankisupervisor.testing.RealAnkiDevice;
import dev.ankisupervisor.testing.RealAnkiSyncServer;
import dev.ankisupervisor.testing.RealAnkiResources;
import dev.ankisupervisor.testing.RealAnkiVenv;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code check} and {@code doctor} against real Anki under {@code run} with the config API on and the
 * real sync server, as root and as a system user: every step of {@code check} passes; {@code doctor}
 * finds nothing wrong but, as root, the documented {@code run-as} problem (C9). A device's upload after
 * the check is still downloaded by the first sync (the key check's round trip leaves behind is null,
 * which P2 counts as nothing). The config API (P1)
 * stores into the real collection: the value set through AnkiConnect is in the collection's config
 * once Anki closed it.
 */
class RealAnkiCheckDoctorIT {
  private static final String USER = "user";
  private static final String PASSWORD = "pass";
  private static final String PREFIX = "itest.";
  @RegisterExtension static final RealAnkiResources real = new RealAnkiResources();

  @TempDir Path dir;
  @TempDir Path serverDir;
  private RealAnkiSyncServer server;
  private RealAnkiRun run;

  @ParameterizedTest
  @EnumSource(RealAnkiRun.As.class)
  void checkAndDoctorPassAndTheConfigApiStoresInTheCollection(RealAnkiRun.As as) throws Exception {
    server = real.closeAfterTest(new RealAnkiSyncServer(real.venv(), serverDir, USER + ":" + PASSWORD)).start();
    run = real.closeAfterTest(new RealAnkiRun(dir, real.venv(), as)).sync(server, USER, PASSWORD, "5m");
    run.sup.args("--config-api-enable", "--config-api-prefix", PREFIX, "--config-api-max-bytes", "4096");
    run.start();
    run.awaitReady(1);
    // an empty server and a fresh profile: waiting_for_first_upload, a success like ok (docs/status.md)
    run.awaitSync("the startup sync", s -> List.of("ok", "waiting_for_first_upload").contains(s.path("state").asText()));
    Path status = run.sup.stateDir.resolve("sync-status.json");

    JarCommand.Result check = run.command("check", "--url", "http://127.0.0.1:" + run.sup.port + "/",
        "--status-file", status.toString(), "--addon-dir", AddonDir.folder(run.sup.base).toString()).run();
    assertThat(check.exit()).as("%s\n%s", check, run.sup.log()).isZero();
    assertThat(check.out()).contains("PASS a version", "PASS b config-absent", "PASS c config-round-trip",
        "PASS d config-prefix-rule", "PASS e config-size-cap", "PASS f collection", "PASS f patches",
        "PASS g status-file").doesNotContain("FAIL", "SKIP");

    JarCommand.Result doctor = run.command("doctor", "--base", run.sup.base.toString(), "--profile", RealAnkiRun.PROFILE,
        "--bind", "127.0.0.1", "--connect-port", Integer.toString(run.sup.port), "--state-dir", run.sup.stateDir.toString(),
        "--status-file", status.toString(), "--sync-url", server.url()).run();
    if (as == RealAnkiRun.As.ROOT) {
      // The one documented problem of a root install: Anki runs without Chromium's sandbox (C9).
      assertThat(doctor.exit()).as(doctor.toString()).isEqualTo(1);
      assertThat(doctor.out().lines().filter(l -> l.startsWith("PROBLEM"))).singleElement()
          .satisfies(l -> assertThat(l).startsWith("PROBLEM run-as"));
    } else {
      assertThat(doctor.exit()).as(doctor.toString()).isZero();
    }
    assertThat(doctor.out()).contains("OK port", "OK ankiconnect", "OK addon-patches", "OK sync-server",
        "OK prefs21.db", "OK addon", "OK gldriver6", "OK collection-lock", "OK last-sync");

    // As systemd/README.md has it: check before any device uploaded, then a device uploads. check's
    // round trip left its key behind set to null (P1 has no delete); a null key holds nothing (P2), so
    // the first sync still downloads the device's collection.
    new RealAnkiDevice(real.venv()).upload(serverDir.resolve("device/collection.anki2"), server, USER, PASSWORD,
        "Device", "alpha", "beta");
    JarCommand.Result first = run.command("sync-now", "--supervisor-pid-file", run.sup.stateDir.resolve("supervisor.pid").toString(),
        "--status-file", status.toString(), "--timeout", RealAnkiVenv.BOUND.toSeconds() + "s").run();
    assertThat(first.exit()).as("%s\n%s", first, run.sup.log()).isZero();
    assertThat(run.sup.log()).contains("bootstrap complete: 2 decks, 2 cards");

    // P1 on the real collection: the value lands in the collection's config, exactly.
    RealAnkiConnect anki = run.connect();
    String value = "{\"n\": 42, \"s\": \"gr\\u00fc\\u00dfe\", \"list\": [1, 2.5, null, true]}";
    assertThat(anki.call("setConfig", "{\"key\": \"" + PREFIX + "answer\", \"val\": " + value + "}").asBoolean()).isTrue();
    JsonNode expected = new ObjectMapper().readTree(value);
    assertThat(anki.call("getConfig", "{\"key\": \"" + PREFIX + "answer\"}")).isEqualTo(expected);
    assertThat(anki.answer("setConfig", "{\"key\": \"other.answer\", \"val\": 1}").get("error").asText())
        .isEqualTo("config key is not allowed");
    assertThat(run.sigterm()).as(run.sup.log()).isZero();
    assertThat(new RealAnkiDevice(real.venv()).read(run.collection(), PREFIX + "answer").config().get(PREFIX + "answer"))
        .isEqualTo(expected);
  }
}
