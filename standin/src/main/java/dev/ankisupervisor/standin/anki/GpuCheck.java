package dev.ankisupervisor.standin.anki;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Decides whether QtWebEngine would abort for want of a GPU (C4): it survives only with
 * {@code --disable-gpu} in {@code QTWEBENGINE_CHROMIUM_FLAGS}, which Anki (25.09.2, {@code setupGL})
 * adds itself only when {@code <base>/gldriver6} says {@code software} and the variable is unset.
 * Pure; any thread.
 */
final class GpuCheck {
  private GpuCheck() {}

  /** Whether the web views would start without a GPU. */
  static boolean isGpuDisabled(Map<String, String> env, Path base) {
    String flags = env.get("QTWEBENGINE_CHROMIUM_FLAGS");
    if (flags != null) {
      // Anki adds nothing when the variable is set, even if it lacks the flag.
      return flags.contains("--disable-gpu");
    }
    return "software".equals(readDriver(base));
  }

  private static String readDriver(Path base) {
    try {
      return Files.readString(base.resolve("gldriver6")).strip();
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * The environment QtWebEngine sees: Anki's {@code setupGL} sets {@code QTWEBENGINE_CHROMIUM_FLAGS}
   * to {@code --disable-gpu} when the variable is unset and {@code gldriver6} says {@code software}.
   */
  static Map<String, String> asAnkiSetsIt(Map<String, String> env, Path base) {
    if (env.containsKey("QTWEBENGINE_CHROMIUM_FLAGS") || !"software".equals(readDriver(base))) {
      return env;
    }
    Map<String, String> withFlag = new java.util.HashMap<>(env);
    withFlag.put("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu");
    return withFlag;
  }

  /** Prints Chromium's EGL failure as QtWebEngine does on a machine with no GPU. */
  static void printEglFailure() {
    Console.ankiErr("[0101/000000.000000:ERROR:gl_display.cc(497)] EGL Driver message (Critical)"
        + " eglInitialize: No available renderers");
    Console.ankiErr("[0101/000000.000000:ERROR:gpu_init.cc(525)] Passthrough is not supported,"
        + " GL is egl, ANGLE is");
    Console.ankiErr("[0101/000000.000000:FATAL:gpu_data_manager_impl_private.cc(448)] GPU process"
        + " isn't usable. Goodbye.");
    Console.diag("no GPU and no --disable-gpu (C4: QTWEBENGINE_CHROMIUM_FLAGS=--disable-gpu or"
        + " gldriver6=software); aborting like QtWebEngine");
  }
}
