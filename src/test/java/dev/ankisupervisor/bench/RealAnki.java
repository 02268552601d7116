package dev.ankisupervisor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
  static final Path DEFAULT_VENV = Path.of("/var/cache/anki-supervisor/real-anki-25.9.2/venv");
  /** The add-on folder name the real AnkiConnect is installed under (the supervisor's --addon-dir-name). */
  static final String ADDON_DIR = "AnkiConnect";

  /** From the environment; fails with the reason when a part is missing. */
  static RealAnki fromEnvironment() {
    Path venv = Path.of(System.getenv().getOrDefault("ANKI_VENV", DEFAULT_VENV.toString()));
    String src = System.getenv("ANKICONNECT_SRC");
    if (!Files.isExecutable(venv.resolve("bin/anki"))) {
      throw new IllegalStateException("no real Anki at " + venv + "/bin/anki; set ANKI_VENV (real-anki/make-env.sh)");
    }
    if (src == null || !Files.isRegularFile(Path.of(src, "plugin/__init__.py"))) {
      throw new IllegalStateException("ANKICONNECT_SRC must name a checkout of AnkiConnect 25.11.9.0 (plugin/__init__.py);"
          + " found " + src);
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
  void installAddon(Path base, Path log) throws IOException, InterruptedException {
    Path addon = base.resolve("addons21").resolve(ADDON_DIR);
    Files.createDirectories(addon.getParent());
    run(List.of("cp", "-r", ankiConnectSrc.resolve("plugin").toString(), addon.toString()), log);
    List<Path> patches = new ArrayList<>();
    try (var s = Files.list(Path.of("patches"))) {
      s.filter(p -> p.toString().endsWith(".patch")).sorted().forEach(patches::add);
    }
    for (Path p : patches) {
      run(List.of("sh", "-c", "cd \"$1\" && patch -p2 --forward < \"$2\"", "sh", addon.toString(),
          p.toAbsolutePath().toString()), log);
    }
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

  private static void run(List<String> cmd, Path log) throws IOException, InterruptedException {
    int rc = Tools.runToEnd(cmd, Map.of(), log, 120);
    if (rc != 0) {
      throw new IOException(String.join(" ", cmd) + " exited " + rc + "; see " + log);
    }
  }
}
