package dev.ankisupervisor.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The official sync server of the real Anki venv ({@code python -m anki.syncserver}) on loopback,
 * with users {@code SYNC_USER1..n} and its data in a folder of the test (S1, S2). Started: {@code GET
 * /health} answered 200. {@link #stop} sends SIGINT (its graceful stop, S3), then SIGKILL after
 * {@link RealAnkiVenv#BOUND}. Its output goes to {@code <dir>/sync-server.log}; {@link #log} gives it
 * for failure messages.
 */
public final class RealAnkiSyncServer implements AutoCloseable {
  private final RealAnkiVenv venv;
  private final Path base;
  private final Path logFile;
  private final String[] users;
  private final int port;
  private Process process;

  /** A server for {@code users} ("user:password" each) keeping its data in {@code <dir>/sync-base}; not started. */
  public RealAnkiSyncServer(RealAnkiVenv venv, Path dir, String... users) {
    this.venv = venv;
    this.base = dir.resolve("sync-base");
    this.logFile = dir.resolve("sync-server.log");
    this.users = users;
    this.port = FreePort.find();
  }

  /** Starts it (again, on the same port and data) and waits for /health. */
  public RealAnkiSyncServer start() throws IOException {
    Files.createDirectories(base);
    ProcessBuilder pb = new ProcessBuilder(venv.python().toString(), "-m", "anki.syncserver")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    pb.environment().keySet().removeIf(k -> k.startsWith("SYNC_"));
    for (int i = 0; i < users.length; i++) {
      pb.environment().put("SYNC_USER" + (i + 1), users[i]);
    }
    pb.environment().put("SYNC_BASE", base.toString());
    pb.environment().put("SYNC_HOST", "127.0.0.1");
    pb.environment().put("SYNC_PORT", Integer.toString(port));
    process = pb.start();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest health = HttpRequest.newBuilder(URI.create(url() + "health")).timeout(Duration.ofSeconds(5)).build();
    await().atMost(RealAnkiVenv.BOUND).pollInterval(Duration.ofMillis(100))
        .alias("sync server /health on " + url())
        .until(() -> {
          if (!process.isAlive()) {
            throw new AssertionError("the sync server exited " + process.exitValue() + ":\n" + log());
          }
          try {
            return http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
          } catch (IOException e) {
            return false;
          }
        });
    return this;
  }

  /** {@code http://127.0.0.1:PORT/}, as {@code --sync-url} takes it. */
  public String url() {
    return "http://127.0.0.1:" + port + "/";
  }

  /** The server's collection of {@code user} (S2); read it only after {@link #stop}. */
  public Path collection(String user) {
    return base.resolve(user).resolve("collection.anki2");
  }

  public boolean running() {
    return process != null && process.isAlive();
  }

  /**
   * SIGINT (S3), SIGKILL after the bound (a failure); returns the exit code: 130 for 25.09.2, whose
   * {@code anki.syncserver} ends on SIGINT with a KeyboardInterrupt traceback after the server stopped.
   */
  public int stop() throws IOException, InterruptedException {
    if (process == null) {
      return 0;
    }
    if (process.isAlive()) {
      new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start().waitFor();
      if (!process.waitFor(RealAnkiVenv.BOUND.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        throw new AssertionError("the sync server ignored SIGINT for " + RealAnkiVenv.BOUND + ":\n" + log());
      }
    }
    return process.exitValue();
  }

  /** Everything the server printed so far. */
  public String log() {
    try {
      return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  @Override
  public void close() throws Exception {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
