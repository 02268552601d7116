package dev.ankisupervisor.wiring;

import dev.ankisupervisor.config.AnkiSettings;
import dev.ankisupervisor.config.BindSpec;
import dev.ankisupervisor.config.ConfigApiSettings;
import dev.ankisupervisor.config.ConnectSettings;
import dev.ankisupervisor.config.RestartSettings;
import dev.ankisupervisor.config.Secret;
import dev.ankisupervisor.config.SupervisorSettings;
import dev.ankisupervisor.config.SyncSettings;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The world {@code demo} supervises, in its folder: Anki's base with AnkiConnect "installed from
 * AnkiWeb" (the stand-in plays the add-on; the real Anki gets {@code --addon-source} mirrored in), a
 * sync server on loopback (the stand-in's, or the official one from the real Anki's venv), the
 * settings of {@code run} for them (short intervals) and the environment the stand-in reads its
 * knobs from. The stand-ins run as separate processes by class name ({@code StandIn anki},
 * {@code StandIn sync-server}); nothing here imports them. {@link #close} stops the sync server.
 *
 * <p>Threading: the main thread only.
 */
public final class DemoEnvironment implements AutoCloseable {
  /** The stand-in's entry class, by name only: it runs as a separate process, nothing imports it. */
  static final String STANDIN_MAIN = "dev.ankisupervisor.standin.StandIn";
  /** The stand-in's switch for a real QtWebEngine main window. */
  static final String REAL_QT_KNOB = "ANKI_STANDIN_REAL_QT";
  /** The config API's allowed key prefix in the demo (P1). */
  public static final String CONFIG_PREFIX = "demo.";

  private final SupervisorSettings settings;
  private final Map<String, String> env;
  private final Optional<DemoRealAnki> real;
  private final Optional<String> syncUrl;
  /** The sync server we started; null without one. */
  private final Process syncServer;
  private final String restartHint;
  private final String mainWindow;

  private DemoEnvironment(SupervisorSettings settings, Map<String, String> env, Optional<DemoRealAnki> real,
      Optional<String> syncUrl, Process syncServer, String restartHint, String mainWindow) {
    this.settings = settings;
    this.env = env;
    this.real = real;
    this.syncUrl = syncUrl;
    this.syncServer = syncServer;
    this.restartHint = restartHint;
    this.mainWindow = mainWindow;
  }

  /**
   * Sets the world up in {@code root} (its {@code state} folder already made) and starts its sync
   * server unless {@code withSyncServer} is false.
   *
   * @param real the real Anki to run instead of the stand-in
   * @param addonSource with {@code real}: the add-on folder to mirror into the base
   */
  public static DemoEnvironment start(Path root, Duration syncInterval, boolean withSyncServer,
      Optional<DemoRealAnki> real, Optional<Path> addonSource) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // Absolute: Anki runs in another working folder (a relative jar path would not be found there).
    String classPath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(e -> Path.of(e).toAbsolutePath().toString()).collect(Collectors.joining(File.pathSeparator));
    List<String> smallJvm = List.of("-XX:+UseSerialGC", "-Xms8m", "-Xmx96m", "-XX:TieredStopAtLevel=1", "-Xshare:auto");
    Process syncServer = null;
    try {
      Path base = root.resolve("anki");
      Path state = root.resolve("state");
      Files.createDirectories(state);
      int connectPort = freePort();
      if (real.isEmpty()) {
        installAnkiConnect(base, connectPort);
      }
      SyncSettings sync = new SyncSettings(Optional.empty(), Optional.empty(), Optional.empty(), syncInterval, true);
      String syncUrl = null;
      String restartHint = null;
      if (withSyncServer) {
        int syncPort = freePort();
        syncUrl = "http://127.0.0.1:" + syncPort + "/";
        if (real.isPresent()) {
          syncServer = real.get().startSyncServer(root.resolve("sync"), syncPort, "demo", "demo",
              root.resolve("sync-server.log"));
          restartHint = real.get().syncServerCommand(root.resolve("sync"), syncPort, "demo", "demo");
        } else {
          syncServer = startSyncServer(java, smallJvm, classPath, root, syncPort);
          restartHint = "SYNC_USER1=demo:demo SYNC_BASE=" + root.resolve("sync") + " SYNC_HOST=127.0.0.1 SYNC_PORT="
              + syncPort + " " + java + " -cp " + classPath + " " + STANDIN_MAIN + " sync-server";
        }
        sync = new SyncSettings(Optional.of(syncUrl), Optional.of("demo"), Optional.of(new Secret("demo")),
            syncInterval, true);
      }
      List<String> anki = new ArrayList<>();
      if (real.isPresent()) {
        anki.addAll(real.get().ankiCommand());
      } else {
        anki.add(java);
        anki.addAll(smallJvm);
        anki.addAll(List.of("-cp", classPath, STANDIN_MAIN, "anki"));
      }
      InetAddress loopback = InetAddress.getByName("127.0.0.1");
      SupervisorSettings settings = new SupervisorSettings(
          new AnkiSettings(base, "demo", "en_US", anki, AnkiSettings.ANKICONNECT_ADDON_ID, addonSource),
          new ConnectSettings(new BindSpec.Fixed(loopback), connectPort, Optional.empty(), List.of("http://localhost"),
              new ConfigApiSettings(true, List.of(CONFIG_PREFIX), 65536), false),
          sync,
          new RestartSettings(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(2), 5,
              Duration.ofMinutes(2)),
          state, state.resolve("sync-status.json"), Optional.empty(),
          Duration.ofSeconds(60), Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2), 3);
      Map<String, String> env = new HashMap<>(System.getenv());
      String mainWindow;
      if (real.isPresent()) {
        mainWindow = "real: Anki's own QtWebEngine view";
      } else {
        // The stand-in plays an add-on with both our patches (P1, P2): bootstrap and the config API work.
        env.put("ANKI_STANDIN_PATCHES", "config-actions,headless-sync");
        // A real QtWebEngine main window when PyQt6's is installed: the real Chromium then judges Anki's environment (C9).
        String webview = webviewCheck(java, smallJvm, classPath);
        boolean realQt = webview.startsWith("real ");
        if (realQt) {
          env.put(REAL_QT_KNOB, "1");
        }
        mainWindow = realQt ? webview + " (" + REAL_QT_KNOB + "=1)" : "played, not real: " + webview;
      }
      return new DemoEnvironment(settings, env, real, Optional.ofNullable(syncUrl), syncServer, restartHint, mainWindow);
    } catch (IOException | InterruptedException | RuntimeException e) {
      stop(syncServer, real);
      throw e;
    }
  }

  /** The settings {@code run} gets. */
  public SupervisorSettings settings() {
    return settings;
  }

  /** The environment {@code run} gets: ours, with the stand-in's knobs. */
  public Map<String, String> env() {
    return env;
  }

  /** For the banner: which Anki runs. */
  public String describeAnki() {
    return real.map(DemoRealAnki::describe).orElse("stand-in (" + STANDIN_MAIN + " anki)");
  }

  /** For the banner: which sync server runs. */
  public String describeSyncServer() {
    return syncServer == null ? "none" : real.isPresent() ? "the official one from the same venv" : "the stand-in";
  }

  /** For the banner: the main window Anki shows. */
  public String mainWindow() {
    return mainWindow;
  }

  /** The sync server's URL, when one runs. */
  public Optional<String> syncUrl() {
    return syncUrl;
  }

  /** The sync server's pid, when one runs. */
  public OptionalLong syncServerPid() {
    return syncServer == null ? OptionalLong.empty() : OptionalLong.of(syncServer.pid());
  }

  /** The command line that starts the same sync server again (the banner's "sync back"); null without one. */
  public String restartHint() {
    return restartHint;
  }

  /** Stops the sync server we started. */
  @Override
  public void close() throws InterruptedException {
    stop(syncServer, real);
  }

  private static void stop(Process syncServer, Optional<DemoRealAnki> real) throws InterruptedException {
    if (syncServer == null) {
      return;
    }
    if (real.isPresent()) {
      DemoRealAnki.stopSyncServer(syncServer);
    } else {
      syncServer.destroy();
      if (!syncServer.waitFor(10, TimeUnit.SECONDS)) {
        syncServer.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /** The stand-in's {@code webview-check} line: whether PyQt6's QtWebEngine can run here. */
  private static String webviewCheck(String java, List<String> jvm, String cp) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(java));
    cmd.addAll(jvm);
    cmd.addAll(List.of("-cp", cp, STANDIN_MAIN, "webview-check"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    p.waitFor();
    return line.isEmpty() ? "no answer from the stand-in's webview-check" : line;
  }

  /** AnkiConnect "installed from AnkiWeb" (A1): its folder with the stock config.json. */
  private static void installAnkiConnect(Path base, int port) throws IOException {
    Path addon = base.resolve(AnkiSettings.ADDONS).resolve(AnkiSettings.ANKICONNECT_ADDON_ID);
    Files.createDirectories(addon);
    Path config = addon.resolve("config.json");
    if (!Files.exists(config)) {
      Files.writeString(config, "{\n  \"apiKey\": null,\n  \"apiLogPath\": null,\n  \"webBindAddress\": \"127.0.0.1\",\n"
          + "  \"webBindPort\": " + port + ",\n  \"webCorsOriginList\": [\"http://localhost\"],\n"
          + "  \"ignoreOriginList\": []\n}\n");
    }
  }

  private static Process startSyncServer(String java, List<String> jvm, String cp, Path root, int port)
      throws IOException {
    List<String> cmd = new ArrayList<>(List.of(java));
    cmd.addAll(jvm);
    cmd.addAll(List.of("-cp", cp, STANDIN_MAIN, "sync-server"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(root.resolve("sync-server.log").toFile());
    Map<String, String> env = pb.environment();
    env.put("SYNC_USER1", "demo:demo");
    env.put("SYNC_BASE", root.resolve("sync").toString());
    env.put("SYNC_HOST", "127.0.0.1");
    env.put("SYNC_PORT", Integer.toString(port));
    env.put("STANDIN_SYNC_SEED", "Demo Spanish:5,Demo Capitals:3");
    return pb.start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }
}
