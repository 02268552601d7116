package dev.ankisupervisor.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real stand-in Anki process for integration tests: {@code java -cp <anki.supervisor.jar>
 * dev.ankisupervisor.standin.StandIn anki -b BASE [-p PROFILE] ARGS...} in its own session and
 * process group (via setsid), with a private TMPDIR (C5), {@code QT_QPA_PLATFORM=offscreen},
 * {@code QTWEBENGINE_CHROMIUM_FLAGS=--disable-gpu} and, when the tests run as root,
 * {@code QTWEBENGINE_DISABLE_SANDBOX=1} (C9) unless overridden, and display variables removed.
 * Collects stdout and stderr lines; calls AnkiConnect over plain HTTP; {@link #close()} kills the
 * whole process group and any descendant. Test thread plus one reader thread.
 */
public final class StandInAnkiProcess implements AutoCloseable {
  private static final List<String> JVM_FLAGS =
      List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-Xss512k", "-Xmx64m");

  /** How often the waits below look again; each is bounded by its own timeout. */
  private static final Duration POLL = Duration.ofMillis(50);
  /** How long the output can take to be read to its end once the process exited. */
  private static final Duration OUTPUT_DRAIN = Duration.ofSeconds(5);

  private final Process process;
  private final int port;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Thread reader;

  private StandInAnkiProcess(Process process, int port) {
    this.process = process;
    this.port = port;
    reader = new Thread(() -> pump(process.getInputStream()), "stand-in-output-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * A stand-in Anki on {@code port} whose profile "server" carries {@code profile}'s values (C8's sync
   * settings, say), with the add-on installed, started and open; {@code env} is name, value pairs.
   */
  public static StandInAnkiProcess startWithProfile(Path base, int port, Map<String, Object> profile, Duration wait,
      String... env) throws Exception {
    Prefs prefs = Prefs.seed("server");
    profile.forEach((k, v) -> prefs.profileValue("server", k, v));
    prefs.write(base);
    AddonDir.write(base, port);
    Builder b = builder(base).port(port);
    for (int i = 0; i < env.length; i += 2) {
      b.env(env[i], env[i + 1]);
    }
    StandInAnkiProcess anki = b.start();
    anki.waitForApi(wait);
    anki.waitForOutput("ready: profile server open", wait);
    return anki;
  }

  public static Builder builder(Path base) {
    return new Builder(base);
  }

  /** Configures one stand-in process; {@link #start()} launches it. */
  public static final class Builder {
    private final Path base;
    private String profile;
    private final List<String> args = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private int port = -1;
    private boolean passBase = true;
    private Path tmpDir;

    private Builder(Path base) {
      this.base = base;
      env.put("QT_QPA_PLATFORM", "offscreen");
      env.put("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu");
      if (isRoot()) {
        env.put("QTWEBENGINE_DISABLE_SANDBOX", "1"); // C9: as root the zygote needs it; tests of C9 remove it
      }
    }

    /** Adds {@code -p NAME}. */
    public Builder profile(String name) {
      this.profile = name;
      return this;
    }

    /** Appends raw Anki arguments (after -b and -p). */
    public Builder args(String... more) {
      args.addAll(List.of(more));
      return this;
    }

    /** Sets an environment variable; a null value removes it. */
    public Builder env(String name, String value) {
      env.put(name, value);
      return this;
    }

    /** The AnkiConnect port {@link #callAction} talks to (write it with {@link AddonDir}). */
    public Builder port(int p) {
      this.port = p;
      return this;
    }

    /** Uses this TMPDIR (to share the single-instance socket between two stand-ins, C5). */
    public Builder tmpDir(Path dir) {
      this.tmpDir = dir;
      return this;
    }

    /** Leaves out {@code -b BASE} (to test ANKI_BASE and the default). */
    public Builder withoutBaseFlag() {
      this.passBase = false;
      return this;
    }

    public StandInAnkiProcess start() throws IOException {
      String jar = System.getProperty("anki.supervisor.jar", "supervisor/target/anki-supervisor.jar");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> cmd = new ArrayList<>();
      if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
        cmd.add("/usr/bin/setsid");
      }
      cmd.add(java);
      cmd.addAll(JVM_FLAGS);
      cmd.addAll(List.of("-cp", jar, "dev.ankisupervisor.standin.StandIn", "anki"));
      if (passBase) {
        cmd.addAll(List.of("-b", base.toString()));
      }
      if (profile != null) {
        cmd.addAll(List.of("-p", profile));
      }
      cmd.addAll(args);
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      Map<String, String> e = pb.environment();
      for (String v : List.of("DISPLAY", "WAYLAND_DISPLAY", "XDG_CURRENT_DESKTOP", "DESKTOP_SESSION",
          "ANKI_BASE", "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID")) {
        e.remove(v);
      }
      e.keySet().removeIf(k -> k.startsWith("ANKI_STANDIN_") || k.startsWith("QTWEBENGINE") || k.startsWith("QT_"));
      Path tmp = tmpDir != null ? tmpDir : Files.createTempDirectory("standin-tmp");
      e.put("TMPDIR", tmp.toString());
      env.forEach((k, v) -> {
        if (v == null) {
          e.remove(k);
        } else {
          e.put(k, v);
        }
      });
      return new StandInAnkiProcess(pb.start(), port);
    }
  }

  /** Whether the tests run as root (uid 0): /proc/self belongs to the effective uid. */
  public static boolean isRoot() {
    try {
      return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A reply from AnkiConnect: HTTP status and body text. */
  public record Reply(int status, String body) {}

  public long pid() {
    return process.pid();
  }

  public Process process() {
    return process;
  }

  /** Every output line so far (stdout and stderr interleaved). */
  public List<String> output() {
    return List.copyOf(lines);
  }

  public String outputText() {
    return String.join("\n", lines);
  }

  /** Waits until some output line contains {@code text}; fails when the process exits first. */
  public void waitForOutput(String text, Duration timeout) throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (lines.stream().anyMatch(l -> l.contains(text))) {
        return;
      }
      if (!process.isAlive()) {
        reader.join(OUTPUT_DRAIN.toMillis()); // its last lines: read once the output reached its end
        if (lines.stream().anyMatch(l -> l.contains(text))) {
          return;
        }
        throw new TimeoutException("stand-in exited (" + process.exitValue() + ") before printing '"
            + text + "'; output:\n" + outputText());
      }
      Thread.sleep(POLL.toMillis());
    }
    throw new TimeoutException("no line with '" + text + "' within " + timeout + "; output:\n" + outputText());
  }

  /** Waits until {@code version} answers; fails when the process exits or time runs out. */
  public void waitForApi(Duration timeout) throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new TimeoutException("stand-in exited (" + process.exitValue() + ") before AnkiConnect"
            + " answered; output:\n" + outputText());
      }
      try {
        if (post("{\"action\":\"version\",\"version\":6}", Map.of(), Duration.ofSeconds(2)).status() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(POLL.toMillis());
    }
    throw new TimeoutException("AnkiConnect on port " + port + " did not answer within " + timeout
        + "; output:\n" + outputText());
  }

  /** Calls {@code {"action": name, "version": 6, "params": paramsJson}}; returns the body. */
  public String callAction(String name, String paramsJson) throws IOException {
    String body = "{\"action\":\"" + name + "\",\"version\":6"
        + (paramsJson == null ? "" : ",\"params\":" + paramsJson) + "}";
    Reply r = post(body, Map.of(), Duration.ofSeconds(30));
    if (r.status() != 200) {
      throw new IOException("HTTP " + r.status() + " for " + body);
    }
    return r.body();
  }

  /**
   * POSTs raw body text with extra headers to AnkiConnect over a plain socket (HttpURLConnection
   * would drop restricted headers such as Origin, and may retry a POST). The add-on closes the
   * connection after its reply, so the reply is everything read until EOF.
   */
  public Reply post(String body, Map<String, String> headers, Duration timeout) throws IOException {
    if (port < 0) {
      throw new IllegalStateException("no port given: call Builder.port(p) with AddonDir's port");
    }
    byte[] payload = body.getBytes(StandardCharsets.UTF_8);
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), (int) Math.min(timeout.toMillis(), 5_000));
      s.setSoTimeout((int) timeout.toMillis());
      StringBuilder head = new StringBuilder("POST / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n")
          .append("Content-Type: application/json\r\n")
          .append("Content-Length: ").append(payload.length).append("\r\n");
      headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
      OutputStream out = s.getOutputStream();
      out.write(head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
      out.write(payload);
      out.flush();
      String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int split = reply.indexOf("\r\n\r\n");
      if (!reply.startsWith("HTTP/1.1 ") || split < 0) {
        throw new IOException("not an HTTP reply: " + reply);
      }
      int status = Integer.parseInt(reply.substring(9, 12));
      return new Reply(status, reply.substring(split + 4));
    }
  }

  /**
   * Waits until {@code deckNames} answers with a result: AnkiConnect answers before the collection
   * opens (A3), so {@link #waitForApi} alone does not mean ready (A4).
   */
  public void waitForReady(Duration timeout) throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    waitForApi(timeout);
    while (System.nanoTime() < deadline) {
      try {
        if (callAction("deckNames", null).contains("\"error\":null")) {
          return;
        }
      } catch (IOException notYet) {
        // retry
      }
      if (!process.isAlive()) {
        break;
      }
      Thread.sleep(POLL.toMillis());
    }
    throw new TimeoutException("deckNames did not succeed within " + timeout + "; output:\n" + outputText());
  }

  /** Sends a signal by name ("TERM", "INT", "KILL", "ABRT") to the stand-in process itself. */
  public void signal(String sig) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).inheritIO().start().waitFor();
  }

  public void kill() throws IOException, InterruptedException {
    signal("KILL");
  }

  /** Waits for the exit; returns the exit value (128+N when killed by signal N). */
  public int awaitExit(Duration timeout) throws InterruptedException, TimeoutException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new TimeoutException("stand-in still running after " + timeout + "; output:\n" + outputText());
    }
    return process.exitValue();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Kills the process group (setsid made the stand-in its leader) and every descendant. */
  @Override
  public void close() {
    List<ProcessHandle> descendants = process.descendants().toList();
    try {
      new ProcessBuilder("kill", "-KILL", "--", "-" + process.pid())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void pump(InputStream in) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        lines.add(line);
      }
    } catch (IOException e) {
      lines.add("[fixture] output read failed: " + e.getMessage());
    }
  }
}
