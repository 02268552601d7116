package dev.ankisupervisor.doctor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ankisupervisor.config.BindSpec;
import dev.ankisupervisor.files.PidFile;
import dev.ankisupervisor.os.ProcessIdentity;
import dev.ankisupervisor.testing.AddonDir;
import dev.ankisupervisor.testing.FreePort;
import dev.ankisupervisor.testing.Prefs;
import dev.ankisupervisor.testing.StandInAnkiProcess;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * doctor against a real running stand-in Anki: AnkiConnect answering with a collection open, the
 * patches seen through apiReflect (A4, P1, P2), and the collection lock in /proc/locks held by a
 * real process (C7): foreign without a pidfile naming it, fine with one.
 */
class DoctorIT {
  @TempDir Path tmp;
  private Path base;
  private int port;
  private StandInAnkiProcess anki;

  @BeforeEach
  void prepareBase() throws Exception {
    base = Files.createDirectories(tmp.resolve("anki"));
    port = FreePort.find();
    Prefs.seed("server").write(base);
    Files.writeString(AddonDir.write(base, port).resolve("__init__.py"), "# AnkiConnect\n");
    Files.writeString(base.resolve("gldriver6"), "software");
  }

  @AfterEach
  void stop() {
    if (anki != null) {
      anki.close();
    }
  }

  private List<Finding> doctor() {
    DoctorSettings s = new DoctorSettings(base, "server", AddonDir.DIR, new BindSpec.Fixed(InetAddress.getLoopbackAddress()),
        port, Optional.empty(), tmp.resolve("anki.pid"), tmp.resolve("none.json"), Optional.empty(), Optional.empty(),
        Duration.ofHours(36), Duration.ofSeconds(20), "anki-sync-backup.timer", Optional.empty());
    return new Doctor(s, Clock.systemUTC()).run();
  }

  private static Finding find(List<Finding> findings, DoctorCheck check) {
    return findings.stream().filter(f -> f.check() == check).findFirst().orElseThrow();
  }

  @Test
  void patchedStandInIsHealthyAndItsLockIsForeignUntilThePidfileNamesIt() throws Exception {
    anki = StandInAnkiProcess.builder(base).profile("server").port(port)
        .env("ANKI_STANDIN_PATCHES", "config-actions,headless-sync").start();
    await().atMost(Duration.ofSeconds(60)).until(() -> find(doctor(), DoctorCheck.ANKICONNECT).ok());
    List<Finding> findings = doctor();
    assertThat(find(findings, DoctorCheck.ADDON_PATCHES).ok()).as(find(findings, DoctorCheck.ADDON_PATCHES).line()).isTrue();
    assertThat(find(findings, DoctorCheck.PREFS).ok()).as(find(findings, DoctorCheck.PREFS).line()).isTrue();
    // The stand-in holds collection.anki2 (C7), and no pidfile says it is the supervised Anki.
    Finding lock = find(findings, DoctorCheck.COLLECTION_LOCK);
    assertThat(lock.ok()).isFalse();
    assertThat(lock.line()).contains("pid " + anki.pid()).contains("kill " + anki.pid());
    ProcessIdentity id = ProcessIdentity.of(anki.pid()).orElseThrow();
    new PidFile(tmp.resolve("anki.pid")).write(id);
    assertThat(find(doctor(), DoctorCheck.COLLECTION_LOCK).line()).isEqualTo(
        "OK collection-lock: held by the supervised Anki (pid " + anki.pid() + ")");
  }

  @Test
  void stockAddOnIsReportedAsUnpatched() throws Exception {
    anki = StandInAnkiProcess.builder(base).profile("server").port(port).start();
    await().atMost(Duration.ofSeconds(60)).until(() -> find(doctor(), DoctorCheck.ANKICONNECT).ok());
    Finding patches = find(doctor(), DoctorCheck.ADDON_PATCHES);
    assertThat(patches.ok()).isFalse();
    assertThat(patches.line()).contains("the config API patch").contains("the headless sync patch");
  }
}
