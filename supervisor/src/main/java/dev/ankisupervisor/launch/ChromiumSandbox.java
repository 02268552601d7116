package dev.ankisupervisor.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the supervisor knows about Chromium's sandbox and root (C9): started as uid 0, the zygote of
 * Anki's QtWebEngine exits the whole process with code 1 unless {@code --no-sandbox} is among
 * QTWEBENGINE_CHROMIUM_FLAGS (or {@code QTWEBENGINE_DISABLE_SANDBOX=1}); as any other user it starts
 * with its sandbox on. The texts here are the one place the warning, the fix and the diagnosis are
 * worded. Stateless; any thread.
 */
public final class ChromiumSandbox {
  /** QtWebEngine's own switch, the same as {@code --no-sandbox} (C9). */
  public static final String DISABLE_VARIABLE = "QTWEBENGINE_DISABLE_SANDBOX";
  /** How to run with the sandbox on: one fix, worded once. */
  public static final String FIX = "run the supervisor as a dedicated user (User=anki in the systemd unit;"
      + " see docs/root-and-sandbox.md)";
  /** The part of the zygote's stderr line that does not change (pid, time and source line do). */
  private static final String ZYGOTE_REFUSAL = "Running as root without --no-sandbox is not supported";

  private ChromiumSandbox() {}

  /** Whether this process runs as root: /proc/self belongs to the process's effective uid. */
  public static boolean isRunningAsRoot() {
    try {
      return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    } catch (IOException | UnsupportedOperationException | ClassCastException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }

  /** Whether {@code line} (Anki's stderr) is the zygote refusing root (C9). */
  public static boolean isZygoteRefusal(String line) {
    return line.contains(ZYGOTE_REFUSAL);
  }

  /** The one WARN line of a run as root. */
  public static String rootWarning() {
    return "running as root: Anki gets " + ChromiumFlags.NO_SANDBOX + " in " + ChromiumFlags.VARIABLE + ", because"
        + " Chromium refuses to start its web views as root with the sandbox on, so Anki's web content runs"
        + " without Chromium's sandbox; to keep it on, " + FIX;
  }

  /** Why an Anki whose stderr showed the zygote line failed, and the fix. */
  public static String refusalDiagnosis() {
    return "Chromium refused to run as root without " + ChromiumFlags.NO_SANDBOX + " (\"" + ZYGOTE_REFUSAL
        + "\" on Anki's stderr); something replaced the " + ChromiumFlags.VARIABLE + " the supervisor gives Anki"
        + " (a wrapper in --anki-command that sets it?); " + FIX + ", or keep " + ChromiumFlags.NO_SANDBOX
        + " in the flags Anki finally sees";
  }
}
