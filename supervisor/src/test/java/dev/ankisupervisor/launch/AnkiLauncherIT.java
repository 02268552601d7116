package dev.ankisupervisor.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ankisupervisor.config.AnkiSettings;
import dev.ankisupervisor.config.BindSpec;
import dev.ankisupervisor.config.ConfigApiSettings;
import dev.ankisupervisor.config.ConnectSettings;
import dev.ankisupervisor.config.SyncSettings;
import dev.ankisupervisor.os.ExitStatus;
import dev.ankisupervisor.os.Signals;
import dev.ankisupervisor.prepare.BasePreparer;
import dev.ankisupervisor.prepare.PrepareReport;
import dev.ankisupervisor.testing.AddonDir;
import dev.ankisupervisor.testing.FreePort;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** prepare + launch against the stand-in Anki as a real process (first boot, corrupt prefs, kill tree, SIGTERM). */
class AnkiLauncherIT {
  @TempDir Path base;
  @TempDir Path state;
  private RunningAnki running;
  private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void killEverything() throws Exception {
    if (running != null) {
      running.killTree();
      running.awaitGroupGone(Duration.ofSeconds(30));
    }
  }

  /** Prepares the base (AnkiConnect's config.json says 8765; our meta.json moves it to a free port) and starts the stand-in. */
  private int prepareAndStart(Map<String, String> knobs) throws Exception {
    int port = FreePort.find();
    AddonDir.write(base, "127.0.0.1", 8765);
    AnkiSettings anki = new AnkiSettings(base, "server", "en_US", StandInCommand.command(), AnkiSettings.ANKICONNECT_ADDON_ID);
    ConnectSettings connect = new ConnectSettings(new BindSpec.Fixed(InetAddress.getByName("127.0.0.1")), port, Optional.empty(),
        List.of("http://localhost"), ConfigApiSettings.DISABLED, false);
    SyncSettings sync = new SyncSettings(Optional.empty(), Optional.empty(), Optional.empty(), Duration.ZERO, false);
    PrepareReport report = new BasePreparer().prepare(anki, connect, sync, InetAddress.getByName("127.0.0.1"));
    assertThat(report.prefs().written()).isTrue();
    Map<String, String> parent = new java.util.HashMap<>(System.getenv());
    parent.put("DISPLAY", ":0"); // C4: must not reach the child
    parent.put("WAYLAND_DISPLAY", "wayland-0");
    ChildSpec spec = AnkiChildSpecs.forAnki(anki, parent, state.resolve("tmp"), ChromiumSandbox.isRunningAsRoot()).withExtraEnv(knobs);
    running = new AnkiLauncher().start(spec, lines::add, lines::add);
    return port;
  }

  @Test
  void firstBootWithoutPrefsReachesReadyAndStopsCleanlyOnSigterm() throws Exception {
    int port = prepareAndStart(Map.of());

    await().atMost(60, TimeUnit.SECONDS).until(() -> StandInCommand.isReady(port));
    assertThat(lines).noneMatch(l -> l.toLowerCase().contains("dialog"));

    assertThat(running.signal(Signals.SIGTERM)).isTrue();

    assertThat(running.onExit().get(30, TimeUnit.SECONDS)).isEqualTo(ExitStatus.exited(0));
    assertThat(running.awaitGroupGone(Duration.ofSeconds(30))).isTrue();
    assertThat(Path.of(base + "/server/collection.anki2-wal")).doesNotExist();
  }

  @Test
  void aCorruptPrefsFileIsMovedAsideAndAnkiStillReachesReady() throws Exception {
    Files.writeString(base.resolve("prefs21.db"), "not sqlite at all");

    int port = prepareAndStart(Map.of());

    await().atMost(60, TimeUnit.SECONDS).until(() -> StandInCommand.isReady(port));
    try (var files = Files.list(base)) {
      assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("prefs21.db.corrupt-"));
    }
  }

  @Test
  void killTreeLeavesNoProcessOfTheGroupWhenAHelperChildExists() throws Exception {
    int port = prepareAndStart(Map.of("ANKI_STANDIN_SPAWN_CHILD", "1"));
    await().atMost(60, TimeUnit.SECONDS).until(() -> StandInCommand.isReady(port) && running.groupMembers().size() >= 2);

    running.killTree();

    assertThat(running.awaitGroupGone(Duration.ofSeconds(30))).isTrue();
    assertThat(running.onExit().get(30, TimeUnit.SECONDS)).isEqualTo(ExitStatus.killedBy(9));
  }
}
