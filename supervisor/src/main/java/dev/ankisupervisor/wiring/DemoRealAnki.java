package dev.ankisupervisor.wiring;

import dev.ankisupervisor.os.Signals;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The real Anki of {@code demo --real-anki}: the venv that {@code real-anki/make-env.sh} makes
 * (docs/real-anki.md), its {@code bin/anki}, and the official sync server from the same venv
 * ({@code python -m anki.syncserver}, S1-S3). Immutable; the main thread.
 *
 * @param venv the venv folder
 */
public record DemoRealAnki(Path venv) {
  /** Where tests, CI and the docs look for the venv. */
  public static final String VENV_VARIABLE = "ANKI_VENV";
  /** real-anki/make-env.sh's default place. */
  public static final Path DEFAULT_VENV = Path.of("/var/cache/anki-supervisor/real-anki-25.9.2/venv");
  /** The marker make-env.sh writes into a finished venv: what it holds. */
  public static final String MARKER = ".anki-supervisor-env";

  /** The venv named by {@code --real-anki[=VENV]}: the value, else {@code $ANKI_VENV}, else the default. */
  public static Path venvNamed(String flagValue, Map<String, String> env) {
    String named = flagValue != null && !flagValue.isBlank() ? flagValue : env.getOrDefault(VENV_VARIABLE, "");
    return (named.isBlank() ? DEFAULT_VENV : Path.of(named)).toAbsolutePath().normalize();
  }

  /** The real Anki in {@code venv}, when it holds an executable {@code bin/anki}. */
  public static Optional<DemoRealAnki> at(Path venv) {
    return Files.isExecutable(venv.resolve("bin").resolve("anki")) ? Optional.of(new DemoRealAnki(venv)) : Optional.empty();
  }

  public List<String> ankiCommand() {
    return List.of(venv.resolve("bin").resolve("anki").toString());
  }

  /** For the banner: the venv and what make-env.sh recorded in it, when it did. */
  public String describe() {
    Optional<String> holds = Optional.empty();
    try {
      Path marker = venv.resolve(MARKER);
      if (Files.isRegularFile(marker)) {
        holds = Optional.of(Files.readString(marker).strip());
      }
    } catch (IOException e) {
      // only the banner's detail
    }
    return "real Anki: " + venv.resolve("bin/anki") + holds.map(h -> " (" + h + ")").orElse("");
  }

  /** The official sync server from the venv, one user, on loopback; its output into {@code log}. */
  Process startSyncServer(Path data, int port, String user, String password, Path log) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(venv.resolve("bin/python").toString(), "-m", "anki.syncserver")
        .redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.put("SYNC_USER1", user + ":" + password);
    env.put("SYNC_BASE", data.toString());
    env.put("SYNC_HOST", "127.0.0.1");
    env.put("SYNC_PORT", Integer.toString(port));
    return pb.start();
  }

  /** The command line that starts the same server again (for the banner's "sync back" hint). */
  public String syncServerCommand(Path data, int port, String user, String password) {
    return "SYNC_USER1=" + user + ":" + password + " SYNC_BASE=" + data + " SYNC_HOST=127.0.0.1 SYNC_PORT=" + port + " "
        + venv.resolve("bin/python") + " -m anki.syncserver";
  }

  /** Stops the server we started: SIGINT, its graceful stop (S3), then SIGKILL after 10 s. */
  static void stopSyncServer(Process server) throws InterruptedException {
    if (server.isAlive()) {
      Signals.toProcess(server.pid(), Signals.SIGINT);
    }
    if (!server.waitFor(10, TimeUnit.SECONDS)) {
      server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
