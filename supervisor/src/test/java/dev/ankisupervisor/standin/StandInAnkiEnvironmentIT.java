package dev.ankisupervisor.standin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ankisupervisor.testing.StandInAnkiProcess;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Display, GPU and single-instance rules (C4, C5), with real processes and real signals. */
class StandInAnkiEnvironmentIT extends StandInRuns {
  private static final int SIGABRT_STATUS = 134;

  @Test
  void withoutOffscreenPlatformAbortsLikeQt() throws Exception {
    StandInAnkiProcess anki = start(seeded("server").env("QT_QPA_PLATFORM", null));
    assertThat(anki.awaitExit(WAIT)).isEqualTo(SIGABRT_STATUS);
    assertThat(anki.outputText()).contains("qt.qpa.xcb: could not connect to display")
        .contains("no Qt platform plugin could be initialized");
  }

  @Test
  void gnomeSessionWithBothDisplaysOverridesOffscreenWithXcb() throws Exception {
    StandInAnkiProcess anki = start(seeded("server").env("DISPLAY", ":99").env("WAYLAND_DISPLAY", "wayland-0")
        .env("XDG_CURRENT_DESKTOP", "ubuntu:GNOME"));
    assertThat(anki.awaitExit(WAIT)).isEqualTo(SIGABRT_STATUS);
    assertThat(anki.outputText()).contains("Wayland support is disabled by default")
        .contains("could not connect to display :99");
  }

  @Test
  void gnomeOverrideNeedsWayland() throws Exception {
    StandInAnkiProcess anki = start(seeded("server").env("DISPLAY", ":99").env("DESKTOP_SESSION", "gnome"));
    anki.waitForApi(WAIT);
  }

  @Test
  void withoutGpuFlagDiesBySignalSixNotByExitCode() throws Exception {
    seeded("server");
    // Python's subprocess reports death by signal N as returncode -N; an exit(134) would be 134.
    String jar = System.getProperty("anki.supervisor.jar");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder("python3", "-c",
        "import subprocess,sys; print(subprocess.run(sys.argv[1:]).returncode)",
        java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", jar,
        "dev.ankisupervisor.standin.StandIn", "anki", "-b", base.toString());
    pb.environment().put("QT_QPA_PLATFORM", "offscreen");
    pb.environment().remove("QTWEBENGINE_CHROMIUM_FLAGS");
    pb.environment().put("QTWEBENGINE_DISABLE_SANDBOX", "1"); // C9, when run as root
    pb.environment().put("TMPDIR", tmpDir().toString());
    pb.redirectErrorStream(true);
    Process p = pb.start();
    List<String> out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    p.waitFor();
    assertThat(out).last().isEqualTo("-6");
    assertThat(String.join("\n", out)).contains("EGL").contains("GPU process isn't usable");
  }

  @Test
  void withoutGpuFlagExitStatusIs134() throws Exception {
    StandInAnkiProcess anki = start(seeded("server").env("QTWEBENGINE_CHROMIUM_FLAGS", null));
    assertThat(anki.awaitExit(WAIT)).isEqualTo(SIGABRT_STATUS);
    assertThat(portOpen()).isFalse();
  }

  @Test
  void chromiumFlagsWithoutDisableGpuStillAbort() throws Exception {
    Files.writeString(base.resolve("gldriver6"), "software\n");
    StandInAnkiProcess anki = start(seeded("server").env("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox"));
    assertThat(anki.awaitExit(WAIT)).isEqualTo(SIGABRT_STATUS);
  }

  @Test
  void gldriverSoftwareAvoidsTheAbort() throws Exception {
    StandInAnkiProcess.Builder b = seeded("server").env("QTWEBENGINE_CHROMIUM_FLAGS", null);
    Files.writeString(base.resolve("gldriver6"), "software\n");
    StandInAnkiProcess anki = start(b);
    anki.waitForReady(WAIT);
    assertThat(anki.callAction("deckNames", null)).contains("Default");
  }

  @Test
  void secondInstanceWithSameTmpdirPrintsLineAndExitsZero() throws Exception {
    Path tmp = tmpDir();
    StandInAnkiProcess first = start(seeded("server").tmpDir(tmp));
    first.waitForApi(WAIT);
    StandInAnkiProcess second = start(StandInAnkiProcess.builder(base).port(port).tmpDir(tmp));
    assertThat(second.awaitExit(WAIT)).isZero();
    assertThat(second.output()).contains("Already running; reusing existing instance.");
    assertThat(first.isAlive()).isTrue();
    // The first prints this after answering the second, which may already have exited.
    await().atMost(WAIT).until(() -> first.outputText().contains("second instance sent: raise"));
  }

  @Test
  void staleSingleInstanceSocketIsTakenOver() throws Exception {
    Path tmp = tmpDir();
    Path socket = singleInstanceSocket(tmp);
    try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      dead.bind(UnixDomainSocketAddress.of(socket));
    }
    assertThat(socket).exists(); // a socket file with no listener
    StandInAnkiProcess anki = start(seeded("server").tmpDir(tmp));
    anki.waitForApi(WAIT);
    assertThat(anki.outputText()).contains("stale single-instance socket");
  }

  @Test
  void ankiBaseEnvironmentIsUsedWithoutBaseFlag() throws Exception {
    StandInAnkiProcess anki = start(seeded("server").withoutBaseFlag().env("ANKI_BASE", base.toString()));
    anki.waitForApi(WAIT);
    anki.waitForOutput("ready: profile server open", Duration.ofSeconds(40));
    assertThat(base.resolve("server/collection.anki2")).exists();
  }
}
