package dev.ankisupervisor.standin.anki;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;

/**
 * What QtWebEngine prints and decides when Anki's web views start, played without Qt (C9), modelled
 * on the real text of Debian 12's PyQt6 6.4 ({@code supervisor/src/test/resources/qt/}): Qt's runtime-folder
 * warning when {@code XDG_RUNTIME_DIR} is unset or not 0700, "Sandboxing disabled by user." when
 * {@code QTWEBENGINE_DISABLE_SANDBOX} is set (any value, as Qt reads it), the
 * {@code qt.webenginecontext:} block with its Init Parameters (sorted, with the flags of
 * {@code QTWEBENGINE_CHROMIUM_FLAGS}), and then the zygote's rule: as root (uid 0) without
 * {@code --no-sandbox} or the variable, its ERROR line and exit code 1 at once. Main thread only.
 */
final class QtWebEngineStart {
  static final String DISABLE_SANDBOX = "QTWEBENGINE_DISABLE_SANDBOX";
  private static final DateTimeFormatter CHROMIUM_TIME = DateTimeFormatter.ofPattern("MMdd/HHmmss.SSSSSS");

  private QtWebEngineStart() {}

  /** Prints Qt's start-up lines for this environment (before the zygote starts). */
  static void printStartup(Map<String, String> env) {
    runtimeDirWarning(env);
    boolean sandboxOffByVariable = env.containsKey(DISABLE_SANDBOX);
    if (sandboxOffByVariable) {
      Console.ankiErr("Sandboxing disabled by user.");
    }
    Console.ankiErr("qt.webenginecontext: ");
    Console.ankiErr("");
    for (String line : new String[] {"GL Type: disabled", "Surface Type: DefaultRenderableType",
        "Surface Profile: NoProfile", "Surface Version: 2.0", "QSG RHI Backend: OpenGL",
        "Using Supported QSG Backend: yes", "Using Software Dynamic GL: no", "Using Multithreaded OpenGL: yes", "",
        "Init Parameters:"}) {
      Console.ankiErr(line);
    }
    Map<String, String> params = new TreeMap<>();
    params.put("application-name", "anki");
    params.put("browser-subprocess-path", "/usr/lib/qt6/libexec/QtWebEngineProcess");
    params.put("disable-features", "ConsolidatedMovementXY,InstalledApp,BackgroundFetch,WebOTP,WebPayments,WebUSB,PictureInPicture");
    params.put("disable-speech-api", "");
    params.put("enable-features", "NetworkServiceInProcess,TracingServiceInProcess");
    params.put("enable-threaded-compositing", "");
    params.put("in-process-gpu", "");
    params.put("use-gl", "disabled");
    if (sandboxOffByVariable) {
      params.put("no-sandbox", "");
    } else {
      params.put("disable-setuid-sandbox", "");
    }
    for (String flag : flags(env)) {
      if (flag.startsWith("--")) {
        int eq = flag.indexOf('=');
        params.put(eq < 0 ? flag.substring(2) : flag.substring(2, eq), eq < 0 ? "" : flag.substring(eq + 1));
      }
    }
    params.forEach((name, value) -> Console.ankiErr("  *  " + name + " " + value + " "));
    Console.ankiErr("");
  }

  /** Whether the zygote refuses to start here: root, and neither --no-sandbox nor the variable (C9). */
  static boolean zygoteRefuses(Map<String, String> env, boolean root) {
    return root && !env.containsKey(DISABLE_SANDBOX) && !java.util.Arrays.asList(flags(env)).contains("--no-sandbox");
  }

  /** Chromium's line, then the whole process exits with 1 (C9), before any add-on loads. */
  static void exitLikeZygote() {
    long pid = ProcessHandle.current().pid();
    Console.ankiErr("[" + pid + ":" + pid + ":" + LocalDateTime.now().format(CHROMIUM_TIME)
        + ":ERROR:zygote_host_impl_linux.cc(90)] Running as root without --no-sandbox is not supported."
        + " See https://crbug.com/638180.");
    Console.diag("uid 0 without --no-sandbox in QTWEBENGINE_CHROMIUM_FLAGS or " + DISABLE_SANDBOX
        + " (C9); exiting 1 like Chromium's zygote");
    Runtime.getRuntime().halt(1);
  }

  /** The line Qt prints once the view is shown offscreen without GL. */
  static void printShown() {
    Console.ankiErr("No suitable graphics backend found");
    Console.ankiErr("");
  }

  /** Whether this process runs as root: /proc/self belongs to the effective uid. */
  static boolean isRoot() {
    try {
      return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    } catch (IOException | RuntimeException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }

  /** QStandardPaths' complaint about the runtime folder (Qt 6.4's texts). */
  private static void runtimeDirWarning(Map<String, String> env) {
    String dir = env.get("XDG_RUNTIME_DIR");
    if (dir == null || dir.isEmpty()) {
      String tmp = env.getOrDefault("TMPDIR", "/tmp").replaceAll("/+$", "");
      Console.ankiErr("QStandardPaths: XDG_RUNTIME_DIR not set, defaulting to '" + (tmp.isEmpty() ? "/tmp" : tmp)
          + "/runtime-" + System.getProperty("user.name") + "'");
      return;
    }
    try {
      String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(dir)));
      if (!mode.equals("rwx------")) {
        Console.ankiErr("QStandardPaths: wrong permissions on runtime directory " + dir + ", 0" + octal(mode)
            + " instead of 0700");
      }
    } catch (IOException e) {
      Console.ankiErr("QStandardPaths: error creating runtime directory " + dir + ": " + e.getMessage());
    }
  }

  private static String octal(String rwx) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 9; i += 3) {
      int d = (rwx.charAt(i) == 'r' ? 4 : 0) + (rwx.charAt(i + 1) == 'w' ? 2 : 0) + (rwx.charAt(i + 2) == 'x' ? 1 : 0);
      out.append(d);
    }
    return out.toString();
  }

  private static String[] flags(Map<String, String> env) {
    String flags = env.getOrDefault("QTWEBENGINE_CHROMIUM_FLAGS", "").strip();
    return flags.isEmpty() ? new String[0] : flags.split("\\s+");
  }
}
