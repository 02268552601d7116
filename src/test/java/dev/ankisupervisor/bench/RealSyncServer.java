package dev.ankisupervisor.bench;

import dev.ankisupervisor.testing.RealAnkiSyncServer;
import dev.ankisupervisor.testing.RealAnkiVenv;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The official sync server of the Anki 25.09.2 venv for the bench: the real-Anki tests' server
 * ({@link RealAnkiSyncServer}, /health waited for, SIGINT to stop, S1, S3) with the bench's one user
 * ({@code bench}/{@code bench}) and the login the bench's bases take.
 *
 * <p>Threading: the driver thread.
 */
final class RealSyncServer implements AutoCloseable {
  private final Path dir;
  private final RealAnkiSyncServer server;

  RealSyncServer(Path dir) {
    this.dir = dir;
    this.server = new RealAnkiSyncServer(RealAnkiVenv.require(), dir, SyncServer.USER + ":" + SyncServer.PASSWORD);
  }

  StandInBase.SyncLogin login() throws IOException {
    return new StandInBase.SyncLogin(server.url(), SyncServer.USER, Tools.write(dir.resolve("sync-password"),
        SyncServer.PASSWORD + "\n"));
  }

  void start() throws IOException {
    server.start();
  }

  @Override
  public void close() throws Exception {
    server.close();
  }
}
