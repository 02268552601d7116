package dev.ankisupervisor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stand-in sync server ({@code StandIn sync-server}) on a fixed loopback port, so it can be
 * stopped and started again (with other knobs) under the same URL the supervisor was given.
 * User {@code bench}, password {@code bench}; data in {@code dir/sync}; stdout (the upstream-shaped
 * request log) appended to {@code dir/sync-server.log}.
 *
 * <p>Threading: the driver thread starts and stops it; {@link #finishedSyncRequests} may be read
 * from any thread.
 */
public final class SyncServer implements AutoCloseable {
  public static final String USER = "bench";
  public static final String PASSWORD = "bench";
  /** "2026-11-26T09:11:22.652223Z  INFO request{uri=/sync/meta uid=bench}: finished ...". */
  private static final Pattern FINISHED = Pattern.compile("^(\\S+Z)\\s+INFO request\\{uri=/sync/\\S+.*finished");

  private final Path dir;
  private final int port;
  private final Path log;
  private Process process;

  public SyncServer(Path dir, int port) {
    this.dir = dir;
    this.port = port;
    this.log = dir.resolve("sync-server.log");
  }

  /** The login our supervisor is given (password file written here). */
  public StandInBase.SyncLogin login() throws IOException {
    Path pw = Tools.write(dir.resolve("sync-password"), PASSWORD + "\n");
    return new StandInBase.SyncLogin(url(), USER, pw);
  }

  public String url() {
    return "http://127.0.0.1:" + port + "/";
  }

  /** Starts it with these knobs (STANDIN_SYNC_DELAY_MS, STANDIN_SYNC_FAIL_STATUS...) and waits for /health. */
  public void start(Map<String, String> knobs) throws IOException, InterruptedException {
    var env = new java.util.HashMap<>(knobs);
    env.put("SYNC_USER1", USER + ":" + PASSWORD);
    env.put("SYNC_BASE", dir.resolve("sync").toString());
    env.put("SYNC_HOST", "127.0.0.1");
    env.put("SYNC_PORT", Integer.toString(port));
    env.putIfAbsent("STANDIN_SYNC_SEED", "Spanish:3,German:2");
    process = Tools.builder(List.of(Tools.JAVA, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", Tools.JAR,
        "dev.ankisupervisor.standin.StandIn", "sync-server"), env)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("sync-server.err").toFile())).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (isHealthy()) {
        return;
      }
      if (!process.isAlive()) {
        throw new IOException("the stand-in sync server exited " + process.exitValue() + "; see " + log);
      }
      Thread.sleep(50);
    }
    throw new IOException("the stand-in sync server did not answer /health within 60 s; see " + log);
  }

  /** SIGTERM (S3: ends at once, the WAL keeps the data) and waits. */
  public void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      ProcStat.signal(process.pid(), "TERM");
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** GET /health answers 200 (S1). */
  public boolean isHealthy() {
    return Tools.healthy(url());
  }

  /** The times the server logged as "finished" for each /sync/ request so far, in log order. */
  public List<Instant> finishedSyncRequests() {
    List<Instant> out = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(log)) {
        Matcher m = FINISHED.matcher(line);
        if (m.find()) {
          out.add(Instant.parse(m.group(1)));
        }
      }
    } catch (IOException | RuntimeException e) {
      // not there yet
    }
    return out;
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
