package dev.ankisupervisor.prepare;

import dev.ankisupervisor.files.PidFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ankisupervisor.config.AnkiSettings;
import dev.ankisupervisor.config.BindSpec;
import dev.ankisupervisor.config.ConfigApiSettings;
import dev.ankisupervisor.config.ConnectSettings;
import dev.ankisupervisor.config.SyncSettings;
import dev.ankisupervisor.launch.AnkiChildSpecs;
import dev.ankisupervisor.launch.AnkiLauncher;
import dev.ankisupervisor.launch.ChromiumSandbox;
import dev.ankisupervisor.launch.RunningAnki;
import dev.ankisupervisor.launch.StandInCommand;
import dev.ankisupervisor.os.LockTable;
import dev.ankisupervisor.os.PortTable;
import dev.ankisupervisor.os.ProcessIdentity;
import dev.ankisupervisor.testing.AddonDir;
import dev.ankisupervisor.testing.FreePort;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stand-in Anki left running "from a previous run" (C6, C7), cleared before a launch, as a real process. */
class StaleHolderClearerIT {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  @TempDir Path base;
  @TempDir Path state;
  private RunningAnki previous;
  private int port;

  @AfterEach
  void killEverything() throws Exception {
    if (previous != null) {
      previous.killTree();
      previous.awaitGroupGone(Duration.ofSeconds(30));
    }
  }

  private AnkiSettings anki(List<String> command) {
    return new AnkiSettings(base, "server", "en_US", command, AnkiSettings.ANKICONNECT_ADDON_ID);
  }

  /** A ready stand-in of this base, started the way the supervisor starts Anki, its pidfile written. */
  private PidFile startPreviousRun(Map<String, String> knobs) throws Exception {
    port = FreePort.find();
    AddonDir.write(base, "127.0.0.1", port);
    AnkiSettings anki = anki(StandInCommand.command());
    new BasePreparer().prepare(anki, new ConnectSettings(new BindSpec.Fixed(LOOPBACK), port, Optional.empty(), List.of(),
        ConfigApiSettings.DISABLED, false), new SyncSettings(Optional.empty(), Optional.empty(), Optional.empty(), Duration.ZERO, false),
        LOOPBACK);
    previous = new AnkiLauncher().start(AnkiChildSpecs.forAnki(anki, System.getenv(), state.resolve("tmp"),
        ChromiumSandbox.isRunningAsRoot()).withExtraEnv(knobs),
        l -> {}, l -> {});
    await().atMost(60, TimeUnit.SECONDS).until(() -> StandInCommand.isReady(port));
    PidFile pidFile = new PidFile(state.resolve("anki.pid"));
    pidFile.write(previous.identity());
    return pidFile;
  }

  @Test
  void aPreviousRunsAnkiIsStoppedWithSigtermAndTheLockAndPortAreFree() throws Exception {
    PidFile pidFile = startPreviousRun(Map.of());
    AnkiSettings anki = anki(StandInCommand.command());
    assertThat(LockTable.system().holdersOf(anki.collection())).isNotEmpty();

    ClearReport report = new StaleHolderClearer().clear(anki, LOOPBACK, port, pidFile.path(), Duration.ofSeconds(30));

    assertThat(report.stopped()).extracting(ProcessIdentity::pid).containsExactly(previous.pid());
    assertThat(report.killed()).isEmpty();
    assertThat(previous.onExit().get(30, TimeUnit.SECONDS).isCleanExit()).isTrue(); // C6: a clean close
    assertThat(LockTable.system().holdersOf(anki.collection())).isEmpty();
    assertThat(PortTable.system().listenersOn(port)).isEmpty();
    assertThat(pidFile.path()).doesNotExist();
  }

  @Test
  void anAnkiIgnoringSigtermIsKilledWithItsHelperChild() throws Exception {
    PidFile pidFile = startPreviousRun(Map.of("ANKI_STANDIN_IGNORE_SIGTERM", "1", "ANKI_STANDIN_SPAWN_CHILD", "1"));
    await().atMost(30, TimeUnit.SECONDS).until(() -> previous.groupMembers().size() >= 2);
    AnkiSettings anki = anki(StandInCommand.command());

    ClearReport report = new StaleHolderClearer().clear(anki, LOOPBACK, port, pidFile.path(), Duration.ofSeconds(2));

    assertThat(report.killed()).extracting(ProcessIdentity::pid).containsExactly(previous.pid());
    assertThat(previous.groupMembers()).isEmpty();
    assertThat(LockTable.system().holdersOf(anki.collection())).isEmpty();
    assertThat(PortTable.system().listenersOn(port)).isEmpty();
  }

  @Test
  void anAnkiWeCannotRecogniseIsRefusedWithItsPidAndLeftRunning() throws Exception {
    startPreviousRun(Map.of());
    // no pidfile, and the configured command is another program: not provably ours
    AnkiSettings anki = anki(List.of("/usr/local/bin/real-anki"));

    assertThatThrownBy(() -> new StaleHolderClearer().clear(anki, LOOPBACK, port, state.resolve("none.pid"), Duration.ofSeconds(5)))
        .isInstanceOfSatisfying(ForeignHolderException.class, e -> assertThat(e.holder().pid()).isEqualTo(previous.pid()))
        .hasMessageContaining("is locked by pid " + previous.pid() + " (");
    assertThat(previous.isSameProcess()).isTrue();
  }
}
