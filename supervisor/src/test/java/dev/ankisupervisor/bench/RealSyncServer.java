package dev.ankisupervisor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The official sync server of the Anki 25.09.2 venv ({@code python -m anki.syncserver}), one user
 * ({@code bench}/{@code bench}), data in {@code dir/sync}, log in {@code dir/sync-server.log}. It
 * answers {@code GET /health} (S1) and stops on SIGTERM.
 *
 * <p>Not the real-Anki tests' {@code testing.RealAnkiSyncServer}: the bench runs as a plain program
 * with the jar and the test classes only, without JUnit and Awaitility, which that one waits with.
 *
 * <p>Threading: the driver thread.
 */
final class RealSyncServer implements AutoCloseable {
  private final RealAnki anki;
  private final Path dir;
  private final int port;
  private Process process;

  RealSyncServer(RealAnki anki, Path dir, int port) {
    this.anki = anki;
    this.dir = dir;
    this.port = port;
  }

  StandInBase.SyncLogin login() throws IOException {
    return new StandInBase.SyncLogin(url(), SyncServer.USER, Tools.write(dir.resolve("sync-password"),
        SyncServer.PASSWORD + "\n"));
  }

  String url() {
    return "http://127.0.0.1:" + port + "/";
  }

  long pid() {
    return process.pid();
  }

  void start() throws IOException, InterruptedException {
    Files.createDirectories(dir.resolve("sync"));
    process = Tools.builder(List.of(anki.python(), "-m", "anki.syncserver"), Map.of(
        "SYNC_USER1", SyncServer.USER + ":" + SyncServer.PASSWORD, "SYNC_BASE", dir.resolve("sync").toString(),
        "SYNC_HOST", "127.0.0.1", "SYNC_PORT", Integer.toString(port))).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("sync-server.log").toFile())).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (healthy()) {
        return;
      }
      if (!process.isAlive()) {
        throw new IOException("the sync server exited " + process.exitValue() + "; see " + dir.resolve("sync-server.log"));
      }
      Thread.sleep(50);
    }
    throw new IOException("the sync server did not answer /health within 60 s");
  }

  private boolean healthy() {
    return Tools.healthy(url());
  }

  @Override
  public void close() throws InterruptedException {
    Tools.terminate(process, Duration.ofSeconds(20));
  }
}
