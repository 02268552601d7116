package dev.ankisupervisor.bench;

import dev.ankisupervisor.testing.RealAnkiAddon;
import dev.ankisupervisor.testing.RealAnkiVenv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the bench's real-Anki mode finds its parts: the venv of Anki 25.09.2 ({@code ANKI_VENV},
 * else the shared cache path the project's make-env script fills) and the real AnkiConnect checkout
 * ({@code ANKICONNECT_SRC}, its add-on files in {@code plugin/}), to which the repository's
 * {@code patches/} are applied in a copy (P1, P2).
 *
 * <p>Threading: immutable; any thread.
 */
record RealAnki(Path venv, Path ankiConnectSrc) {
  /** The add-on folder name the real AnkiConnect is installed under (the supervisor's --addon-dir-name). */
  static final String ADDON_DIR = "AnkiConnect";

  /** From the environment; fails with the reason when a part is missing. */
  static RealAnki fromEnvironment() {
    Path venv = Path.of(System.getenv().getOrDefault("ANKI_VENV", RealAnkiVenv.DEFAULT.toString()));
    String src = System.getenv("ANKICONNECT_SRC");
    if (!Files.isExecutable(venv.resolve("bin/anki"))) {
      throw new IllegalStateException("no real Anki at " + venv + "/bin/anki; set ANKI_VENV (real-anki/make-env.sh)");
    }
    String missing = RealAnkiAddon.ANKICONNECT.missing();
    if (missing != null) {
      throw new IllegalStateException("the real AnkiConnect is needed: " + missing);
    }
    return new RealAnki(venv, Path.of(src));
  }

  String ankiCommand() {
    return venv.resolve("bin/anki").toString();
  }

  String python() {
    return venv.resolve("bin/python").toString();
  }

  /** Copies AnkiConnect's plugin/ into {@code addons21/AnkiConnect} of {@code base} and applies our patches. */
  void installAddon(Path base) throws IOException, InterruptedException {
    RealAnkiAddon.ANKICONNECT.install(base, ADDON_DIR);
  }

  /**
   * Anki's environment as our launcher gives it (offscreen, software GL through Chromium's flags,
   * C4, C5; as root also --no-sandbox, C9), for the bare start.
   */
  Map<String, String> bareEnv(Path tmp) throws IOException {
    Files.createDirectories(tmp);
    Map<String, String> env = new TreeMap<>();
    env.put("QT_QPA_PLATFORM", "offscreen");
    env.put("QTWEBENGINE_CHROMIUM_FLAGS", dev.ankisupervisor.testing.StandInAnkiProcess.isRoot()
        ? "--disable-gpu --no-sandbox" : "--disable-gpu");
    env.put("TMPDIR", tmp.toString());
    return env;
  }
}
