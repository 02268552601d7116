package dev.ankisupervisor.launch;

import dev.ankisupervisor.config.AnkiSettings;
import dev.ankisupervisor.config.SupervisorVariables;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds the {@link ChildSpec} of a headless Anki (C4, C5, C9).
 *
 * <p>argv: {@code anki.command()} then {@code -b BASE -p PROFILE} (and {@code -l LANG} when set)
 * and nothing else: any other word would be taken as a file to import and end in a dialog (C4).
 *
 * <p>env: the parent's, minus the display and desktop variables (Anki would switch to xcb), minus
 * systemd's NOTIFY_SOCKET/WATCHDOG_* and every LISTEN_* and ANKI_SUPERVISOR_* (they belong to the supervisor), plus
 * {@code QT_QPA_PLATFORM=offscreen}, {@code --disable-gpu} appended to QTWEBENGINE_CHROMIUM_FLAGS
 * (and {@code --no-sandbox} when the supervisor runs as root, C9), and {@code TMPDIR} and
 * {@code XDG_RUNTIME_DIR} both set to {@code tmpDir}: a private 0700 folder per instance, so Anki's
 * single-instance socket (C5) never meets another Anki of the same user, and Qt finds a runtime
 * folder it accepts (owned by the user, mode 0700) instead of warning that none is set (C9).
 * When the parent has none of the login-name variables, {@code LOGNAME=anki} is added: Anki names
 * its single-instance socket after the login name, and without such a variable and without a
 * passwd entry for the uid (a container, a bare {@code setpriv}) {@code import aqt} fails (C5).
 *
 * <p>Pure functions; any thread.
 */
public final class AnkiChildSpecs {
  /** Removed from the child's environment (C4). */
  public static final Set<String> SCRUBBED = Set.of("DISPLAY", "WAYLAND_DISPLAY", "XDG_CURRENT_DESKTOP",
      "DESKTOP_SESSION", "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID");
  /**
   * Every variable with one of these prefixes is removed too: systemd's socket activation (C4) and
   * the supervisor's own settings, which are not Anki's.
   */
  public static final List<String> SCRUBBED_PREFIXES = List.of("LISTEN_", SupervisorVariables.PREFIX);
  /** Python's getpass.getuser() reads these, in this order, before the passwd entry (C5). */
  public static final List<String> LOGIN_NAME_VARIABLES = List.of("LOGNAME", "USER", "LNAME", "USERNAME");
  /** The login name given when the parent has none (C5); only names the private socket. */
  public static final String FALLBACK_LOGNAME = "anki";
  /** Qt's runtime folder; unset, Qt warns at start (C9). */
  public static final String RUNTIME_DIR = "XDG_RUNTIME_DIR";

  private AnkiChildSpecs() {}

  /**
   * The spec for this Anki.
   *
   * @param parentEnv the supervisor's environment ({@code System.getenv()})
   * @param tmpDir the instance's private TMPDIR and XDG_RUNTIME_DIR (created 0700 by {@link AnkiLauncher#start})
   * @param asRoot whether Anki will run as root (uid 0): then {@code --no-sandbox} is added (C9)
   */
  public static ChildSpec forAnki(AnkiSettings anki, Map<String, String> parentEnv, Path tmpDir, boolean asRoot) {
    List<String> argv = new ArrayList<>(anki.command());
    argv.add("-b");
    argv.add(anki.base().toString());
    argv.add("-p");
    argv.add(anki.profile());
    anki.langFlag().ifPresent(lang -> {
      argv.add("-l");
      argv.add(lang);
    });
    return new ChildSpec(argv, childEnv(parentEnv, tmpDir, asRoot), anki.base(), tmpDir);
  }

  /** The scrubbed, offscreen environment (see the class comment). */
  public static Map<String, String> childEnv(Map<String, String> parentEnv, Path tmpDir, boolean asRoot) {
    Map<String, String> env = new TreeMap<>();
    parentEnv.forEach((k, v) -> {
      if (!SCRUBBED.contains(k) && SCRUBBED_PREFIXES.stream().noneMatch(k::startsWith)) {
        env.put(k, v);
      }
    });
    env.put("QT_QPA_PLATFORM", "offscreen");
    String flags = ChromiumFlags.withDisableGpu(parentEnv.get(ChromiumFlags.VARIABLE));
    env.put(ChromiumFlags.VARIABLE, asRoot ? ChromiumFlags.withNoSandbox(flags) : flags);
    env.put("TMPDIR", tmpDir.toString());
    env.put(RUNTIME_DIR, tmpDir.toString());
    if (LOGIN_NAME_VARIABLES.stream().noneMatch(env::containsKey)) {
      env.put("LOGNAME", FALLBACK_LOGNAME);
    }
    return env;
  }
}
