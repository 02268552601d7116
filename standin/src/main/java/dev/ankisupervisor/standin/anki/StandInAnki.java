package dev.ankisupervisor.standin.anki;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Plays Anki 25.09.2 + AnkiConnect 25.11.9.0 by the contract (C1-C8, A1-A4), in the order of
 * {@code aqt._run} and {@code AnkiQt.__init__}: parse args (C4), the GNOME xcb override, prefs21.db
 * (C2), Qt's display check, the single-instance socket (C5), the language dialog and the startup
 * error (C3), then (after ANKI_STANDIN_STARTUP_DELAY_MS) the main window: signal handlers (C6),
 * the web views (played or real; their root and GPU rules, C9 and C4), add-ons (AnkiConnect, A1-A3), and the profile and collection
 * (C3, C7). The main thread then waits for signals; the AnkiConnect thread serves requests.
 */
public final class StandInAnki {
  static final String VERSION = "25.09.2";
  /** How long QtWebEngine takes to abort after the web views start without a GPU. */
  private static final Duration GPU_ABORT_DELAY = Duration.ofMillis(300);
  /** When this process started, near enough (knobs count from here). */
  static final long START_NANOS = System.nanoTime();

  private StandInAnki() {}

  public static void main(String[] args) throws IOException, SQLException, InterruptedException {
    Map<String, String> env = System.getenv();
    FaultKnobs knobs;
    try {
      knobs = FaultKnobs.from(env);
    } catch (IllegalArgumentException e) {
      Console.diag(e.getMessage());
      System.exit(64);
      return;
    }
    startTimers(knobs);
    Console.anki("Starting Anki " + VERSION + "...");
    AnkiArgs opts;
    try {
      opts = AnkiArgs.parse(Arrays.asList(args));
    } catch (AnkiArgs.UsageError e) {
      Console.ankiErr(AnkiArgs.USAGE);
      Console.ankiErr("anki: error: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (opts.help() || opts.version() || opts.syncserver()) {
      System.exit(printAndExitCode(opts));
      return;
    }
    String platform = DisplayCheck.effectivePlatform(env);
    Path base = baseFolder(opts.base(), env);
    PrefsStore prefs = PrefsStore.open(base);
    if (!DisplayCheck.canStart(platform)) {
      DisplayCheck.failLikeQt(platform, env);
    }
    Path socket = SingleInstance.socketPath(env);
    String message = opts.extras().isEmpty() ? "raise" : Path.of(opts.extras().get(0)).toAbsolutePath().toString();
    if (SingleInstance.signalRunningInstance(socket, message)) {
      Console.anki("Already running; reusing existing instance.");
      System.exit(0);
      return;
    }
    if (prefs.isFirstTime()) {
      Console.diag("prefs21.db was " + (prefs.hadLoadError() ? "unreadable" : "missing")
          + "; recreated with defaults at " + prefs.path() + " (C2)");
      hang(Dialog.LANGUAGE);
    }
    MainWindow window = new MainWindow(base, prefs);
    if (!opts.profile().isEmpty()) {
      window.openProfileFromCommandLine(opts.profile());
    }
    Object lang = opts.lang() != null ? opts.lang() : prefs.meta().get("defaultLang");
    if (lang == null) {
      Console.ankiErr("Traceback (most recent call last):");
      Console.ankiErr("  File \"aqt/__init__.py\", line 560, in run");
      Console.ankiErr("  File \"aqt/__init__.py\", line 730, in _run");
      Console.ankiErr("  File \"aqt/__init__.py\", line 261, in setupLangAndBackend");
      Console.ankiErr("TypeError: defaultLang is None in prefs21.db's _global (C2: set defaultLang)");
      hang(Dialog.STARTUP_ERROR);
    }
    Pause.sleep(knobs.startupDelay());
    runMainWindow(window, opts, knobs, env, socket);
  }

  private static void runMainWindow(MainWindow window, AnkiArgs opts, FaultKnobs knobs,
      Map<String, String> env, Path socket) throws IOException, SQLException, InterruptedException {
    BlockingQueue<String> signals = new LinkedBlockingQueue<>();
    Signals.install(signals); // setupUI -> setupSignals (C6)
    RealWebView view = startWebViews(env, window.base(), knobs);
    WebEngineChild child = knobs.spawnChild() ? WebEngineChild.spawn() : null;
    if (knobs.memoryGrowthKbPerS() > 0) {
      MemoryGrowth.start(knobs.memoryGrowthKbPerS());
    }
    Dialog dialog = opts.safemode() ? null : AddOns.load(window, env, knobs);
    if (opts.safemode()) {
      Console.diag("--safemode: add-ons not loaded, so no AnkiConnect");
    }
    if (dialog == null) {
      dialog = window.setupProfile();
    }
    if (dialog == null && !opts.extras().isEmpty()) {
      // Real Anki opens the profile first, then takes the argument as a file to import and shows
      // its "please use File>Import" box over an open collection; AnkiConnect keeps serving (C3, C4).
      Console.diag("ready: profile " + window.profileName() + " open");
      Console.diag("leftover argument " + opts.extras() + " taken as a file to import (C4)");
      dialog = Dialog.IMPORT;
    }
    if (dialog != null) {
      dialog.announce();
    } else {
      Console.diag("ready: profile " + window.profileName() + " open");
    }
    String longLine = env.get("ANKI_STANDIN_STDERR_LINE_MB");
    if (longLine != null && !longLine.isBlank()) {
      Console.longStderrLine(Long.parseLong(longLine.strip()));
      Console.diag("printed a " + longLine.strip() + " MiB line on stderr (ANKI_STANDIN_STDERR_LINE_MB)");
    }
    waitForSignals(signals, window, knobs, new Helpers(child, view), socket);
  }

  /**
   * The main window's web views (setupMainWindow): real ones (ANKI_STANDIN_REAL_QT), judged by the
   * real Chromium, or played: Qt's start-up lines, the zygote's root rule (C9), then the GPU rule
   * (C4), which Anki's Qt 6.10 applies and Debian's 6.4 does not, so it is played in both modes.
   */
  private static RealWebView startWebViews(Map<String, String> env, Path base, FaultKnobs knobs)
      throws IOException, InterruptedException {
    Map<String, String> qtEnv = GpuCheck.asAnkiSetsIt(env, base);
    if (!knobs.realQt()) {
      QtWebEngineStart.printStartup(qtEnv);
      if (QtWebEngineStart.zygoteRefuses(qtEnv, QtWebEngineStart.isRoot())) {
        QtWebEngineStart.exitLikeZygote();
      }
    }
    if (!GpuCheck.isGpuDisabled(env, base)) {
      GpuCheck.printEglFailure();
      Pause.sleep(GPU_ABORT_DELAY);
      Abort.now();
    }
    if (knobs.realQt()) {
      return RealWebView.start(qtEnv); // on the main thread: see RealWebView (PR_SET_PDEATHSIG)
    }
    QtWebEngineStart.printShown();
    return null;
  }

  /** The processes Anki's main window started; either may be null. */
  private record Helpers(WebEngineChild child, RealWebView view) {
    void stop() throws InterruptedException {
      if (view != null) {
        view.stop();
      }
      if (child != null) {
        child.stop();
      }
    }
  }

  /** The main thread's event loop after the main window: only signals arrive here (C6). */
  private static void waitForSignals(BlockingQueue<String> signals, MainWindow window, FaultKnobs knobs,
      Helpers helpers, Path socket) throws InterruptedException, IOException {
    while (true) {
      String sig = signals.take();
      if (!window.hasCollection()) {
        Console.diag(sig + " ignored: no collection open (C6: only SIGKILL works now)");
        continue;
      }
      if (sig.equals("SIGTERM") && knobs.ignoreSigterm()) {
        Console.diag("SIGTERM ignored (ANKI_STANDIN_IGNORE_SIGTERM)");
        continue;
      }
      Console.diag(sig + ": closing cleanly (C6)");
      window.closeCleanly(knobs.closeDelay());
      helpers.stop();
      Files.deleteIfExists(socket);
      Console.diag("closed cleanly; exit 0");
      Runtime.getRuntime().halt(0); // everything is closed; System.exit's shutdown adds a second or more
      return;
    }
  }

  private static void hang(Dialog dialog) {
    dialog.announce();
    Pause.forever();
  }

  private static int printAndExitCode(AnkiArgs opts) {
    if (opts.help()) {
      Console.anki(AnkiArgs.USAGE);
      return 0;
    }
    if (opts.version()) {
      Console.anki("Anki " + VERSION);
      return 0;
    }
    Console.diag("--syncserver is not played by the stand-in; use `stand-in sync-server`");
    return 64;
  }

  /** C1: -b, else ANKI_BASE, else $XDG_DATA_HOME/Anki2 (default ~/.local/share/Anki2); created. */
  static Path baseFolder(String flag, Map<String, String> env) throws IOException {
    String chosen = !flag.isEmpty() ? flag : env.getOrDefault("ANKI_BASE", "");
    Path base;
    if (!chosen.isEmpty()) {
      base = Path.of(chosen);
    } else {
      String data = env.getOrDefault("XDG_DATA_HOME", System.getProperty("user.home") + "/.local/share");
      base = Path.of(data).resolve("Anki2");
    }
    Files.createDirectories(base);
    return base.toRealPath();
  }

  /** Knob timers counted from start: SIGABRT, or a plain exit with a code. */
  private static void startTimers(FaultKnobs knobs) {
    if (knobs.crashAfter() != null) {
      daemon("crash-knob", () -> {
        Pause.sleep(knobs.crashAfter());
        Console.diag("crashing by SIGABRT (ANKI_STANDIN_CRASH_AFTER_MS)");
        Abort.now();
      });
    }
    if (knobs.exitAfter() != null) {
      daemon("exit-knob", () -> {
        Pause.sleep(knobs.exitAfter());
        Console.diag("exiting with " + knobs.exitCode() + " (ANKI_STANDIN_EXIT_AFTER_MS)");
        Runtime.getRuntime().halt(knobs.exitCode());
      });
    }
  }

  private static void daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
  }
}
