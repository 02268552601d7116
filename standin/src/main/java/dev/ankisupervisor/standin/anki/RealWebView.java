package dev.ankisupervisor.standin.anki;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The main window as a real QtWebEngine view (ANKI_STANDIN_REAL_QT=1): our small PyQt6 program
 * ({@code webview.py}, a resource of the stand-in) run by {@code ANKI_STANDIN_PYTHON} (default
 * {@code /usr/bin/python3}, Debian's, which has {@code python3-pyqt6.qtwebengine}). It runs with the
 * stand-in's environment and in its process group, so the real Chromium judges what the supervisor
 * gives Anki (C9: root without {@code --no-sandbox}) and its QtWebEngineProcess helpers are Anki's.
 * {@link #start} returns once the page loaded and a line of JavaScript answered; if the program
 * ends first, or at any later time while Anki is not closing, Anki ends the same way: its failure
 * is Anki's failure.
 *
 * <p>The program dies with the stand-in by PR_SET_PDEATHSIG, which fires when the THREAD that
 * started it ends: {@link #start} must be called on the main thread, which lives until the process
 * exits. Main thread only; the output and exit watchers run on daemon threads.
 */
public final class RealWebView {
  static final String PYTHON_KNOB = "ANKI_STANDIN_PYTHON";
  static final String DEFAULT_PYTHON = "/usr/bin/python3";
  /** What the program prints on stdout once the JavaScript answered. */
  private static final String READY_MARK = "WEBVIEW-READY";
  /** How long a clean close waits for the view to quit after its stdin closed. */
  private static final Duration QUIT_WAIT = Duration.ofSeconds(5);

  private final Process process;
  /** Set by a clean close: the view's exit is then expected. */
  private volatile boolean closing;

  private RealWebView(Process process) {
    this.process = process;
  }

  /**
   * Starts the view with {@code env} (Anki's, as {@link GpuCheck#asAnkiSetsIt} leaves it) and waits
   * until it answered JavaScript; on failure Anki exits as the view did.
   */
  static RealWebView start(Map<String, String> env) throws IOException, InterruptedException {
    String python = env.getOrDefault(PYTHON_KNOB, DEFAULT_PYTHON);
    Path script = writeScript(env);
    ProcessBuilder pb = new ProcessBuilder(python, script.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT); // Qt's and Chromium's lines are Anki's stderr
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.environment().put("ANKI_STANDIN_WEBVIEW_PARENT", Long.toString(ProcessHandle.current().pid()));
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      Console.diag("cannot start the real web view with " + python + " (" + e.getMessage() + "); set " + PYTHON_KNOB
          + " to a python with PyQt6's QtWebEngine, or unset ANKI_STANDIN_REAL_QT");
      Runtime.getRuntime().halt(1);
      throw e;
    }
    Console.diag("real web view: " + python + " " + script + " pid " + p.pid() + " (ANKI_STANDIN_REAL_QT)");
    RealWebView view = new RealWebView(p);
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith(READY_MARK)) {
        Console.diag("real web view ready: page loaded, JavaScript answered '" + line.substring(READY_MARK.length()).strip() + "'");
        Files.deleteIfExists(script);
        view.watch(out);
        return view;
      }
      Console.anki(line);
    }
    // The view ended before it was ready: Anki ends with it (C9's zygote refusal ends here with 1).
    int code = p.waitFor();
    Files.deleteIfExists(script);
    Console.diag("the real web view exited with " + code + " before it was ready; Anki exits with it");
    Runtime.getRuntime().halt(code);
    return view;
  }

  /** Keeps relaying the view's stdout, and ends Anki when the view ends unexpectedly. */
  private void watch(BufferedReader out) {
    daemon("webview-stdout", () -> {
      try {
        String line;
        while ((line = out.readLine()) != null) {
          Console.anki(line);
        }
      } catch (IOException e) {
        Console.diag("real web view output: " + e.getMessage());
      }
    });
    process.onExit().thenAccept(p -> {
      if (!closing) {
        Console.diag("the real web view (pid " + p.pid() + ") exited with " + p.exitValue() + "; Anki exits with it");
        Runtime.getRuntime().halt(p.exitValue() == 0 ? 1 : p.exitValue());
      }
    });
  }

  /** The clean close: closing stdin asks the view to quit; after {@link #QUIT_WAIT} it is killed. */
  void stop() throws InterruptedException {
    closing = true;
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      Console.diag("real web view: closing its stdin failed (" + e.getMessage() + ")");
    }
    if (!process.waitFor(QUIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
      Console.diag("real web view did not quit within " + QUIT_WAIT.toSeconds() + " s; killing it");
      process.destroyForcibly();
    }
  }

  /**
   * {@code stand-in webview-check}: whether the real view can run here (the python imports PyQt6's
   * QtWebEngine). Prints one line; returns 0, or 69 (unavailable) with what to install.
   */
  public static int check(Map<String, String> env) throws InterruptedException {
    String python = env.getOrDefault(PYTHON_KNOB, DEFAULT_PYTHON);
    try {
      Process p = new ProcessBuilder(python, "-c", "import PyQt6.QtWebEngineWidgets, PyQt6.QtCore as c;"
          + " print('PyQt6', c.PYQT_VERSION_STR, '(Qt ' + c.QT_VERSION_STR + ')')").redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (p.waitFor() == 0) {
        System.out.println("real QtWebEngine view available: " + out + " with " + python);
        return 0;
      }
      String last = out.isEmpty() ? "exit " + p.exitValue() : out.lines().reduce((a, b) -> b).orElse(out);
      System.out.println("no real QtWebEngine view: " + python + " cannot import PyQt6.QtWebEngineWidgets (" + last
          + "); install python3-pyqt6.qtwebengine (Debian) or set " + PYTHON_KNOB);
    } catch (IOException e) {
      System.out.println("no real QtWebEngine view: cannot run " + python + " (" + e.getMessage() + "); install"
          + " python3-pyqt6.qtwebengine (Debian) or set " + PYTHON_KNOB);
    }
    return 69;
  }

  /** The program, from the jar into the private TMPDIR (C5), readable by us only. */
  private static Path writeScript(Map<String, String> env) throws IOException {
    Path dir = Path.of(env.getOrDefault("TMPDIR", "/tmp"));
    Path script = Files.createTempFile(dir, "anki-standin-webview-", ".py",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try (InputStream in = RealWebView.class.getResourceAsStream("webview.py")) {
      if (in == null) {
        throw new IOException("webview.py is missing from the stand-in's jar");
      }
      Files.write(script, in.readAllBytes());
    }
    return script;
  }

  private static void daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
  }
}
