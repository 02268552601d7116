package dev.ankisupervisor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A base folder for real Anki, set up as an operator would: the real AnkiConnect with our patches
 * in {@code addons21/AnkiConnect}, then {@code anki-supervisor prepare} once (prefs21.db with the
 * sync login, gldriver6, meta.json with the port; C2, C3, C4, A1). The same kind of base serves the
 * bare start and ours, so the only difference between them is the supervisor.
 *
 * <p>Threading: the driver thread.
 */
final class RealAnkiBase {
  private RealAnkiBase() {}

  static StandInBase create(RealAnki anki, Path dir, int port, StandInBase.SyncLogin sync)
      throws IOException, InterruptedException {
    Path base = dir.resolve("anki");
    Path state = dir.resolve("state");
    Files.createDirectories(state);
    anki.installAddon(base);
    StandInBase b = new StandInBase(dir, base, state, port, java.util.Optional.of(sync));
    List<String> cmd = new ArrayList<>(Tools.launcher("prepare"));
    cmd.addAll(b.commonFlags());
    cmd.addAll(runFlags(anki));
    int rc = Tools.runToEnd(cmd, Map.of(), dir.resolve("prepare.log"), 120);
    if (rc != 0) {
      throw new IOException("anki-supervisor prepare exited " + rc + "; see " + dir.resolve("prepare.log"));
    }
    return b;
  }

  /** The flags that point prepare and run at the real Anki and its AnkiConnect folder. */
  static List<String> runFlags(RealAnki anki) {
    return List.of("--anki-command", anki.ankiCommand(), "--addon-dir-name", RealAnki.ADDON_DIR);
  }
}
