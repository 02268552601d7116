package dev.ankisupervisor.bench;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Where the bench finds the programs it runs, and how it starts them: the shaded jar (system
 * property {@code anki.supervisor.jar}), the launcher script ({@code bench.launcher}), this JVM's
 * {@code java}, and a clean environment for every child (no systemd or display variables, none of
 * the caller's {@code ANKI_SUPERVISOR_*} settings).
 *
 * <p>Threading: stateless; any thread.
 */
public final class Tools {
  public static final String JAR =
      Path.of(System.getProperty("anki.supervisor.jar", "supervisor/target/anki-supervisor.jar")).toAbsolutePath().toString();
  public static final String LAUNCHER =
      Path.of(System.getProperty("bench.launcher", "launcher/anki-supervisor")).toAbsolutePath().toString();
  public static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
  /** The stand-in Anki exactly as both supervisors start it (then {@code -b BASE -p PROFILE}). */
  public static final List<String> STAND_IN = List.of(JAVA, "-cp", JAR, "dev.ankisupervisor.standin.StandIn", "anki");
  public static final String PROFILE = "server";

  private Tools() {}

  /** A process builder with the clean environment plus {@code extra}. */
  public static ProcessBuilder builder(List<String> command, Map<String, String> extra) {
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("ANKI_SUPERVISOR_") || k.startsWith("ANKI_STANDIN_")
        || k.startsWith("WATCHDOG_") || k.startsWith("LISTEN_") || k.startsWith("SYNC_") || k.startsWith("STANDIN_")
        || List.of("NOTIFY_SOCKET", "JOURNAL_STREAM", "DISPLAY", "WAYLAND_DISPLAY", "XDG_CURRENT_DESKTOP",
            "DESKTOP_SESSION", "JAVA_TOOL_OPTIONS").contains(k));
    env.put("ANKI_SUPERVISOR_JAR", JAR);
    // The launcher's class-data archives (made on first use) in the bench's own folder, when it set one.
    String cache = System.getProperty("bench.cache");
    if (cache != null) {
      env.put("XDG_CACHE_HOME", cache);
    }
    env.put("ANKI_SUPERVISOR_LOG_FORMAT", "plain");
    env.putAll(extra);
    return pb;
  }

  /** The launcher with {@code args}, as a command list. */
  public static List<String> launcher(String... args) {
    List<String> cmd = new ArrayList<>(List.of(LAUNCHER));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /**
   * Runs a command to its end, output to {@code log}.
   *
   * @return its exit code
   */
  public static int runToEnd(List<String> command, Map<String, String> env, Path log, long timeoutSeconds)
      throws IOException, InterruptedException {
    Process p = builder(command, env).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
        log.toFile())).start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new IOException(String.join(" ", command) + " still running after " + timeoutSeconds + " s; see " + log);
    }
    return p.exitValue();
  }

  /** Waits up to {@code seconds} for {@code p} to end, then kills it; never throws. */
  public static void reap(Process p, long seconds) {
    try {
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Writes a file, creating its folder. */
  public static Path write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text);
  }

  /** The process's pid while it runs. */
  public static OptionalLong pidIfAlive(Process process) {
    return process != null && process.isAlive() ? OptionalLong.of(process.pid()) : OptionalLong.empty();
  }

  /** SIGTERM, then SIGKILL if it has not ended within {@code atMost}; nothing if it is not running. */
  public static void terminate(Process process, Duration atMost) throws InterruptedException {
    if (process == null || !process.isAlive()) {
      return;
    }
    ProcStat.signal(process.pid(), "TERM");
    if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  /** Whether a sync server at {@code baseUrl} answers GET /health with 200 (S1). */
  public static boolean healthy(String baseUrl) {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create(baseUrl + "health").toURL().openConnection();
      c.setConnectTimeout(1000);
      c.setReadTimeout(2000);
      int code = c.getResponseCode();
      c.disconnect();
      return code == 200;
    } catch (IOException e) {
      return false;
    }
  }
}
