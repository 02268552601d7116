package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ankisupervisor.testing.RealAnkiConnect;
import dev.ankisupervisor.testing.RealAnkiDevice;
import dev.ankisupervisor.testing.RealAnkiSyncServer;
import dev.ankisupervisor.testing.RealAnkiResources;
import dev.ankisupervisor.testing.RealAnkiVenv;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code full-sync} against real Anki (P2 {@code fullSync}) and the real sync server, as
 * docs/operations.md states it: without {@code --yes} exit 64 and nothing changed; without
 * {@code --force} only a transfer that loses nothing (upload to an empty server, download into an
 * empty collection), otherwise exit 65; with {@code --force} either way. What the server holds is
 * read from its collection after it stopped.
 */
class RealAnkiFullSyncIT {
  private static final String USER = "user";
  private static final String PASSWORD = "pass";
  @RegisterExtension static final RealAnkiResources real = new RealAnkiResources();

  @TempDir Path dir;
  @TempDir Path serverDir;
  private RealAnkiSyncServer server;
  private RealAnkiRun run;

  private JarCommand.Result fullSync(String... args) throws Exception {
    JarCommand c = run.command("full-sync", "--url", "http://127.0.0.1:" + run.sup.port + "/",
        "--timeout", RealAnkiVenv.BOUND.toSeconds() + "s");
    return c.args(args).run();
  }

  @ParameterizedTest
  @EnumSource(RealAnkiRun.As.class)
  void localDataAndAnEmptyServerUploadIsAllowedDownloadRefusedUntilForced(RealAnkiRun.As as) throws Exception {
    server = real.closeAfterTest(new RealAnkiSyncServer(real.venv(), serverDir, USER + ":" + PASSWORD)).start();
    run = real.closeAfterTest(new RealAnkiRun(dir, real.venv(), as)).sync(server, USER, PASSWORD, "0").start();
    run.awaitReady(1);
    RealAnkiConnect anki = run.connect();
    anki.call("createDeck", "{\"deck\": \"Local\"}");
    anki.addNote("Local", "made here");

    JarCommand.Result noYes = fullSync("--upload");
    assertThat(noYes.exit()).as(noYes.toString()).isEqualTo(64);
    JarCommand.Result download = fullSync("--download", "--yes");
    assertThat(download.exit()).as("a download would lose the local note: %s", download).isEqualTo(65);
    assertThat(anki.call("findCards", "{\"query\": \"deck:Local\"}")).as("nothing was downloaded").hasSize(1);

    JarCommand.Result upload = fullSync("--upload", "--yes");
    assertThat(upload.exit()).as("an upload to the empty server loses nothing: %s\n%s", upload, run.sup.log()).isZero();
    assertThat(upload.out() + upload.err()).contains("cards");
    // Now both sides hold data: each direction without --force is refused, with --force allowed.
    JarCommand.Result again = fullSync("--upload", "--yes");
    assertThat(again.exit()).as(again.toString()).isEqualTo(65);
    JarCommand.Result forced = fullSync("--download", "--yes", "--force");
    assertThat(forced.exit()).as(forced.toString()).isZero();
    assertThat(anki.call("findCards", "{\"query\": \"deck:Local\"}")).hasSize(1);

    server.stop();
    assertThat(new RealAnkiDevice(real.venv()).read(server.collection(USER)).fronts()).containsExactly("made here");
    assertThat(run.sigterm()).as(run.sup.log()).isZero();
  }

  @ParameterizedTest
  @EnumSource(RealAnkiRun.As.class)
  void serverDataAndAnEmptyCollectionDownloadIsAllowedUploadRefused(RealAnkiRun.As as) throws Exception {
    server = real.closeAfterTest(new RealAnkiSyncServer(real.venv(), serverDir, USER + ":" + PASSWORD)).start();
    new RealAnkiDevice(real.venv()).upload(serverDir.resolve("device/collection.anki2"), server, USER, PASSWORD,
        "Device", "alpha", "beta");
    // No sync of its own (no bootstrap): the fresh profile stays empty until full-sync.
    run = real.closeAfterTest(new RealAnkiRun(dir, real.venv(), as)).sync(server, USER, PASSWORD, "0");
    run.sup.args("--no-sync-on-start");
    run.start();
    run.awaitReady(1);
    RealAnkiConnect anki = run.connect();

    JarCommand.Result upload = fullSync("--upload", "--yes");
    assertThat(upload.exit()).as("an upload would replace the server's notes: %s", upload).isEqualTo(65);
    JarCommand.Result download = fullSync("--download", "--yes");
    assertThat(download.exit()).as("a download into the empty collection loses nothing: %s\n%s", download,
        run.sup.log()).isZero();
    assertThat(anki.call("findCards", "{\"query\": \"deck:Device\"}")).hasSize(2);

    server.stop();
    assertThat(new RealAnkiDevice(real.venv()).read(server.collection(USER)).fronts()).containsExactly("alpha", "beta");
    assertThat(run.sigterm()).as(run.sup.log()).isZero();
  }
}
