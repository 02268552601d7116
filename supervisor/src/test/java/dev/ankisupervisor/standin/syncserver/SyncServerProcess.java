package dev.ankisupervisor.standin.syncserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code stand-in sync-server} process for tests: started from the shaded jar on
 * 127.0.0.1 with an ephemeral port (SYNC_PORT=0; the port is read from its "listening addr=" line),
 * with plain HTTP helpers and signal helpers. Close it in @AfterEach.
 */
public final class SyncServerProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening addr=[^ ]*:(\\d+)");
  private static final Pattern FINISHED =
      Pattern.compile("(\\S+Z)\\s+INFO request\\{uri=(/sync/\\S*) uid=\\S*\\}: finished elap_ms=(\\d+)");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private final Process process;
  private final int port;
  private final StringBuffer stdout; // filled by a reader thread
  private final StringBuffer stderr; // filled by a reader thread

  private SyncServerProcess(Process process, int port, StringBuffer stdout, StringBuffer stderr) {
    this.process = process;
    this.port = port;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** Starts a server for user {@code alice:pw} with extra env pairs ({@code "KEY", "value", ...}). */
  public static SyncServerProcess startForAlice(Path base, String... keyValues) throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put("SYNC_USER1", "alice:pw");
    for (int i = 0; i < keyValues.length; i += 2) {
      env.put(keyValues[i], keyValues[i + 1]);
    }
    return start(base, env);
  }

  /** Starts a server with {@code base} as SYNC_BASE and {@code env} on top; waits until it listens. */
  public static SyncServerProcess start(Path base, Map<String, String> env) throws IOException {
    String jar = System.getProperty("anki.supervisor.jar", "supervisor/target/anki-supervisor.jar");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", jar,
        "dev.ankisupervisor.standin.StandIn", "sync-server");
    Map<String, String> e = pb.environment();
    e.keySet().removeIf(k -> k.startsWith("SYNC_") || k.startsWith("STANDIN_") || k.equals("PASSWORDS_HASHED"));
    e.put("SYNC_BASE", base.toString());
    e.put("SYNC_HOST", "127.0.0.1");
    e.put("SYNC_PORT", "0");
    e.putAll(env);
    Process p = pb.start();
    CompletableFuture<Integer> portFound = new CompletableFuture<>();
    StringBuffer out = new StringBuffer();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          out.append(line).append('\n');
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            portFound.complete(Integer.parseInt(m.group(1)));
          }
        }
      } catch (IOException ignored) {
        // process gone
      }
      portFound.complete(-1);
    });
    reader.setDaemon(true);
    reader.start();
    StringBuffer err = new StringBuffer();
    Thread errReader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          err.append(line).append('\n');
        }
      } catch (IOException ignored) {
        // process gone
      }
    });
    errReader.setDaemon(true);
    errReader.start();
    int port;
    try {
      port = portFound.get(60, TimeUnit.SECONDS);
    } catch (Exception ex) {
      p.destroyForcibly();
      throw new IOException("sync server did not start: " + ex + "\nstdout:\n" + out + "\nstderr:\n" + err);
    }
    if (port < 0) {
      throw new IOException("sync server exited before listening, code " + waitQuietly(p)
          + "\nstdout:\n" + out + "\nstderr:\n" + err);
    }
    return new SyncServerProcess(p, port, out, err);
  }

  private static int waitQuietly(Process p) {
    try {
      return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  public int port() {
    return port;
  }

  /** The URL a profile's customSyncUrl takes (trailing slash, C8). */
  public String url() {
    return "http://127.0.0.1:" + port + "/";
  }

  public Process process() {
    return process;
  }

  public String stdout() {
    return stdout.toString();
  }

  /** One /sync/ request the server finished: its path, and when it began and ended by the server's clock. */
  public record SyncCall(String uri, Instant start, Instant end) {}

  /**
   * Every /sync/ request finished so far, from the server's upstream-shaped request log: a line is
   * stamped once the reply is out, with the time the call took ({@code elap_ms}), so its start is
   * that stamp less the time taken.
   */
  public List<SyncCall> syncCalls() {
    List<SyncCall> calls = new ArrayList<>();
    Matcher m = FINISHED.matcher(stdout());
    while (m.find()) {
      Instant end = Instant.parse(m.group(1));
      calls.add(new SyncCall(m.group(2), end.minusMillis(Long.parseLong(m.group(3))), end));
    }
    return calls;
  }

  public String stderr() {
    return stderr.toString();
  }

  /** Sends a signal by name (INT, TERM) with kill(1). */
  public void signal(String name) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start().waitFor();
  }

  /** Waits for the exit code (a death by signal N reads as 128+N). */
  public int waitForExit(Duration atMost) throws InterruptedException {
    if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("sync server still running after " + atMost);
    }
    return process.exitValue();
  }

  /** POST /sync/METHOD with the given host key; returns status and body. */
  public HttpResponse<String> syncCall(String method, String hostKey, String body) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + "sync/" + method))
        .timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (hostKey != null) {
      b.header("anki-sync", "{\"k\":\"" + hostKey + "\"}");
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(60)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The loopback admin view of a user's server collection. */
  public JsonNode collection(String user) throws IOException, InterruptedException {
    HttpResponse<String> r = get("standin/collection?user=" + user);
    if (r.statusCode() != 200) {
      throw new IOException("admin collection call answered " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body());
  }

  /** Adds a deck with cards on the server, as another device's sync would. */
  public void addDeck(String user, String deck, int cards) throws IOException, InterruptedException {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "standin/decks?user=" + user))
        .POST(HttpRequest.BodyPublishers.ofString("{\"deck\":\"" + deck + "\",\"cards\":" + cards + "}"))
        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("admin decks call answered " + r.statusCode() + ": " + r.body());
    }
  }

  /** The host key of {@code user:password} (C8). */
  public static String hostKey(String userColonPassword) {
    return SyncAccount.hostKeyOf(userColonPassword);
  }

  @Override
  public void close() throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  static Map<String, String> env(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  static boolean exists(Path p) {
    return Files.exists(p);
  }
}
