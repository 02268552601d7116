package dev.ankisupervisor.commands;

import dev.ankisupervisor.config.SupervisorSettings;
import dev.ankisupervisor.wiring.DemoEnvironment;
import dev.ankisupervisor.wiring.DemoRealAnki;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code anki-supervisor demo}: the {@code run} code path ({@link SupervisorRun}) against the
 * stand-ins (or the real Anki), on loopback, in a temporary folder, with short intervals, printing
 * where everything is. The world it supervises is {@link DemoEnvironment}'s.
 *
 * <p>Threading: the main thread only.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, showDefaultValues = true, sortOptions = false,
    description = "Runs the supervisor against the built-in stand-ins (or, with --real-anki, the real Anki and"
        + " sync server) on loopback, in a temporary folder. Kill Anki (its pid is printed) to watch a restart;"
        + " Ctrl-C stops.")
final class DemoCommand implements Callable<Integer> {
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
    Optional<DemoRealAnki> real = realAnki == null ? Optional.empty()
        : Optional.of(locateRealAnki(realAnki, System.getenv()));
    Optional<Path> addon = real.isEmpty() ? Optional.empty() : Optional.of(checkAddonSource(addonSource));
    if (dir != null && Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new UserError(ExitCode.USAGE, "--dir " + dir + " is a file, not a folder; give a new or empty folder");
    }
    Path root = dir != null ? dir.toAbsolutePath() : Files.createTempDirectory("anki-supervisor-demo-");
    try {
      Files.createDirectories(root.resolve("state"));
    } catch (IOException e) {
      throw new UserError(ExitCode.IO, "cannot create the demo folder " + root + " (" + e + "); give a writable --dir");
    }
    try (DemoEnvironment demo = DemoEnvironment.start(root, syncInterval, !noSyncServer, real, addon)) {
      out.println("demo: Anki is the " + demo.describeAnki() + "; sync server: " + demo.describeSyncServer());
      printWhere(out, root, demo);
      out.println("  main window      " + demo.mainWindow());
      out.flush();
      return SupervisorRun.run(demo.settings(), demo.env(), Optional.ofNullable(duration));
    } finally {
      if (dir == null && !keep) {
        deleteTree(root);
        out.println("demo: removed " + root + " (pass --keep to keep it)");
      } else {
        out.println("demo: kept " + root);
      }
      out.flush();
    }
  }

  /** The venv of {@code --real-anki[=VENV]}; it must hold {@code bin/anki}. */
  static DemoRealAnki locateRealAnki(String flagValue, Map<String, String> env) {
    Path venv = DemoRealAnki.venvNamed(flagValue, env);
    return DemoRealAnki.at(venv).orElseThrow(() -> new UserError(ExitCode.CONFIG, "--real-anki: no executable "
        + venv.resolve("bin/anki") + "; make the venv with real-anki/make-env.sh (docs/real-anki.md) or name it:"
        + " --real-anki=VENV"));
  }

  /** The add-on folder mirrored into the base: it must be an add-on (an {@code __init__.py}). */
  private static Path checkAddonSource(Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    if (!Files.isRegularFile(abs.resolve("__init__.py"))) {
      throw new UserError(ExitCode.CONFIG, "--addon-source " + abs + " holds no __init__.py; give AnkiConnect's"
          + " plugin/ folder with patches/ applied (docs/real-anki.md)");
    }
    return abs;
  }

  private void printWhere(PrintWriter out, Path root, DemoEnvironment demo) {
    SupervisorSettings s = demo.settings();
    String url = "http://127.0.0.1:" + s.connect().port() + "/";
    String status = s.statusFile().toString();
    out.println("demo: everything lives in " + root);
    out.println("  Anki base        " + s.anki().base() + " (profile " + s.anki().profile() + ")");
    out.println("  pidfile          " + s.pidFile() + "  (Anki's pid and start time)");
    out.println("  supervisor pid   " + s.supervisorPidFile() + "  (SIGUSR1 = sync now)");
    out.println("  status file      " + status);
    out.println("  AnkiConnect      " + url + " (config API and headless sync patches, config API prefix " + DemoEnvironment.CONFIG_PREFIX + ")");
    out.println("  try              curl -s " + url + " -d '{\"action\":\"deckNames\",\"version\":6}'");
    out.println("  status           anki-supervisor status --status-file " + status);
    out.println("  check            anki-supervisor check --url " + url + " --status-file " + status
        + " --config-prefix " + DemoEnvironment.CONFIG_PREFIX);
    out.println("  sync now         anki-supervisor sync-now --supervisor-pid-file " + s.supervisorPidFile()
        + " --status-file " + status + "   (or kill -USR1 $(cat " + s.supervisorPidFile() + "))");
    out.println("  watch a restart  kill -9 $(cut -d' ' -f1 " + s.pidFile() + ")   (the log shows the crash and the relaunch)");
    if (demo.syncUrl().isPresent()) {
      out.println("  sync server      " + demo.syncUrl().get() + " (user demo, password demo; syncs every " + syncInterval.toSeconds()
          + (realAnki == null ? " s, the first one downloads its decks)" : " s; the server starts empty)"));
      out.println("  sync failing     kill " + demo.syncServerPid().getAsLong() + "   (stops the sync server: status WARNING at once,"
          + " CRITICAL after 3 intervals without a success)");
      out.println("  sync back        " + demo.restartHint() + " &   (the same server again, same port and data: status OK"
          + " after the next sync)");
    }
    out.println("  stop             Ctrl-C" + (duration != null ? " (or wait " + duration.toSeconds() + " s)" : ""));
    out.flush();
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
