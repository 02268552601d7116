package dev.ankisupervisor.commands;

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
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code anki-supervisor demo}: the {@code run} code path ({@link SupervisorRun}) against the
 * stand-ins, on loopback, in a temporary folder, with short intervals, printing where everything
 * is. The stand-ins run as separate processes by class name ({@code StandIn anki},
 * {@code StandIn sync-server}); nothing here imports them.
 *
 * <p>Threading: the main thread only.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, showDefaultValues = true, sortOptions = false,
    description = "Runs the supervisor against the built-in stand-ins (or, with --real-anki, the real Anki and"
        + " sync server) on loopback, in a temporary folder. Kill Anki (its pid is printed) to watch a restart;"
        + " Ctrl-C stops.")
final class DemoCommand implements Callable<Integer> {
  /** The stand-in's entry class, by name only: it runs as a separate process, nothing imports it. */
  static final String STANDIN_MAIN = "dev.ankisupervisor.standin.StandIn";
  /** The stand-in's switch for a real QtWebEngine main window. */
  static final String REAL_QT_KNOB = "ANKI_STANDIN_REAL_QT";
  /** The config API's allowed key prefix in the demo (P1). */
  static final String CONFIG_PREFIX = "demo.";

  @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Stop by itself after this long (for tests and CI). Default: run until Ctrl-C.")
  Duration duration;

  @Option(names = "--dir", paramLabel = "DIR",
      description = "Use this folder instead of a new temporary one (kept afterwards). Default: a temporary folder.")
  Path dir;

  @Option(names = "--keep", defaultValue = "false", description = "Keep the temporary folder afterwards.")
  boolean keep;

  @Option(names = "--sync-interval", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
      description = "The sync interval (short, to watch it work).")
  Duration syncInterval;

  @Option(names = "--no-sync-server", defaultValue = "false",
      description = "Do not start the stand-in sync server (and pass no sync login).")
  boolean noSyncServer;

  @Option(names = "--real-anki", paramLabel = "VENV", arity = "0..1", fallbackValue = "",
      description = "Run the real Anki 25.09.2 and its sync server from this venv (made by real-anki/make-env.sh)"
          + " instead of the stand-ins. Without a value: $ANKI_VENV, else " + "/var/cache/anki-supervisor/real-anki-25.9.2/venv."
          + " Needs --addon-source.")
  String realAnki;

  @Option(names = "--addon-source", paramLabel = "DIR",
      description = "With --real-anki: the AnkiConnect add-on folder (plugin/ with patches/ applied) to install.")
  Path addonSource;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (realAnki == null && addonSource != null) {
      throw new UserError(ExitCode.USAGE, "--addon-source is for --real-anki (the stand-in plays its own add-on)");
    }
    if (realAnki != null && addonSource == null) {
      throw new UserError(ExitCode.USAGE, "--real-anki needs --addon-source DIR: AnkiConnect's plugin/ folder with"
          + " patches/ applied (docs/real-anki.md)");
    }
    DemoRealAnki real = realAnki == null ? null : DemoRealAnki.locate(realAnki, System.getenv());
    Optional<Path> addon = real == null ? Optional.empty() : Optional.of(DemoRealAnki.checkAddonSource(addonSource));
    if (dir != null && Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new UserError(ExitCode.USAGE, "--dir " + dir + " is a file, not a folder; give a new or empty folder");
    }
    Path root = dir != null ? dir.toAbsolutePath() : Files.createTempDirectory("anki-supervisor-demo-");
    try {
      Files.createDirectories(root.resolve("state"));
    } catch (IOException e) {
      throw new UserError(ExitCode.IO, "cannot create the demo folder " + root + " (" + e + "); give a writable --dir");
    }
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
      if (real == null) {
        installAnkiConnect(base, connectPort);
      }
      SyncSettings sync = new SyncSettings(Optional.empty(), Optional.empty(), Optional.empty(), syncInterval, true);
      String syncUrl = null;
      String restartHint = null;
      if (!noSyncServer) {
        int syncPort = freePort();
        syncUrl = "http://127.0.0.1:" + syncPort + "/";
        if (real != null) {
          syncServer = real.startSyncServer(root.resolve("sync"), syncPort, "demo", "demo", root.resolve("sync-server.log"));
          restartHint = real.syncServerCommand(root.resolve("sync"), syncPort, "demo", "demo");
        } else {
          syncServer = startSyncServer(java, smallJvm, classPath, root, syncPort);
          restartHint = "SYNC_USER1=demo:demo SYNC_BASE=" + root.resolve("sync") + " SYNC_HOST=127.0.0.1 SYNC_PORT="
              + syncPort + " " + java + " -cp " + classPath + " " + STANDIN_MAIN + " sync-server";
        }
        sync = new SyncSettings(Optional.of(syncUrl), Optional.of("demo"), Optional.of(new Secret("demo")),
            syncInterval, true);
      }
      List<String> anki = new ArrayList<>();
      if (real != null) {
        anki.addAll(real.ankiCommand());
      } else {
        anki.add(java);
        anki.addAll(smallJvm);
        anki.addAll(List.of("-cp", classPath, STANDIN_MAIN, "anki"));
      }
      InetAddress loopback = InetAddress.getByName("127.0.0.1");
      SupervisorSettings settings = new SupervisorSettings(
          new AnkiSettings(base, "demo", "en_US", anki, AnkiSettings.ANKICONNECT_ADDON_ID, addon),
          new ConnectSettings(new BindSpec.Fixed(loopback), connectPort, Optional.empty(), List.of("http://localhost"),
              new ConfigApiSettings(true, List.of(CONFIG_PREFIX), 65536), false),
          sync,
          new RestartSettings(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(2), 5,
              Duration.ofMinutes(2)),
          state, state.resolve("sync-status.json"), Optional.empty(),
          Duration.ofSeconds(60), Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2), 3);
      Map<String, String> env = new HashMap<>(System.getenv());
      String mainWindow;
      if (real != null) {
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
      out.println("demo: Anki is the " + (real != null ? real.describe() : "stand-in (" + STANDIN_MAIN + " anki)")
          + "; sync server: " + (noSyncServer ? "none" : real != null ? "the official one from the same venv" : "the stand-in"));
      printWhere(out, root, settings, connectPort, syncUrl, syncServer, restartHint);
      out.println("  main window      " + mainWindow);
      out.flush();
      return SupervisorRun.run(settings, env, Optional.ofNullable(duration));
    } finally {
      if (syncServer != null) {
        if (real != null) {
          DemoRealAnki.stopSyncServer(syncServer);
        } else {
          syncServer.destroy();
          if (!syncServer.waitFor(10, TimeUnit.SECONDS)) {
            syncServer.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
          }
        }
      }
      if (dir == null && !keep) {
        deleteTree(root);
        out.println("demo: removed " + root + " (pass --keep to keep it)");
      } else {
        out.println("demo: kept " + root);
      }
      out.flush();
    }
  }

  private void printWhere(PrintWriter out, Path root, SupervisorSettings s, int port, String syncUrl, Process syncServer,
      String restartHint) {
    String url = "http://127.0.0.1:" + port + "/";
    String status = s.statusFile().toString();
    out.println("demo: everything lives in " + root);
    out.println("  Anki base        " + s.anki().base() + " (profile " + s.anki().profile() + ")");
    out.println("  pidfile          " + s.pidFile() + "  (Anki's pid and start time)");
    out.println("  supervisor pid   " + s.stateDir().resolve("supervisor.pid") + "  (SIGUSR1 = sync now)");
    out.println("  status file      " + status);
    out.println("  AnkiConnect      " + url + " (config API and headless sync patches, config API prefix " + CONFIG_PREFIX + ")");
    out.println("  try              curl -s " + url + " -d '{\"action\":\"deckNames\",\"version\":6}'");
    out.println("  status           anki-supervisor status --status-file " + status);
    out.println("  check            anki-supervisor check --url " + url + " --status-file " + status
        + " --config-prefix " + CONFIG_PREFIX);
    out.println("  sync now         anki-supervisor sync-now --supervisor-pid-file " + s.stateDir().resolve("supervisor.pid")
        + " --status-file " + status + "   (or kill -USR1 $(cat " + s.stateDir().resolve("supervisor.pid") + "))");
    out.println("  watch a restart  kill -9 $(cut -d' ' -f1 " + s.pidFile() + ")   (the log shows the crash and the relaunch)");
    if (syncUrl != null) {
      out.println("  sync server      " + syncUrl + " (user demo, password demo; syncs every " + syncInterval.toSeconds()
          + (realAnki == null ? " s, the first one downloads its decks)" : " s; the server starts empty)"));
      out.println("  sync failing     kill " + syncServer.pid() + "   (stops the sync server: status WARNING at once,"
          + " CRITICAL after 3 intervals without a success)");
      out.println("  sync back        " + restartHint + " &   (the same server again, same port and data: status OK"
          + " after the next sync)");
    }
    out.println("  stop             Ctrl-C" + (duration != null ? " (or wait " + duration.toSeconds() + " s)" : ""));
    out.flush();
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
    Path addon = base.resolve("addons21").resolve(AnkiSettings.ANKICONNECT_ADDON_ID);
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

  private static void deleteTree(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // Best effort: a temporary folder; say where it is.
      System.err.println("demo: could not remove " + root + ": " + e.getMessage());
    }
  }
}
