package dev.ankisupervisor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One Anki base folder for the stand-in, as an operator would set it up: AnkiConnect installed
 * with its stock config.json (A1), then {@code anki-supervisor prepare} run once so prefs21.db,
 * gldriver6 and meta.json are seeded (C2, C3, C4). Both supervisors then start the same stand-in
 * on it: ours runs prepare again before each launch (finding nothing to change), supervisord
 * just starts it.
 *
 * @param dir the folder of everything else of this side (state, tmp, logs)
 * @param sync the sync login that prepare wrote into the profile, if any
 */
public record StandInBase(Path dir, Path base, Path stateDir, int port, Optional<SyncLogin> sync) {

  /** A stand-in sync server login (C8): URL with trailing slash, user, password file. */
  public record SyncLogin(String url, String user, Path passwordFile) {}

  /** Creates and prepares a base under {@code dir}, AnkiConnect on 127.0.0.1:{@code port}. */
  public static StandInBase create(Path dir, int port, Optional<SyncLogin> sync) throws IOException,
      InterruptedException {
    Path base = dir.resolve("anki");
    Path state = dir.resolve("state");
    Files.createDirectories(state);
    Tools.write(base.resolve("addons21/2055492159/config.json"), "{\"apiKey\": null, \"apiLogPath\": null,"
        + " \"webBindAddress\": \"127.0.0.1\", \"webBindPort\": " + port + ","
        + " \"webCorsOriginList\": [\"http://localhost\"], \"ignoreOriginList\": []}\n");
    StandInBase b = new StandInBase(dir, base, state, port, sync);
    List<String> cmd = Tools.launcher("prepare");
    cmd.addAll(b.commonFlags());
    int rc = Tools.runToEnd(cmd, Map.of(), dir.resolve("prepare.log"), 120);
    if (rc != 0) {
      throw new IOException("anki-supervisor prepare exited " + rc + "; see " + dir.resolve("prepare.log"));
    }
    return b;
  }

  /** The flags {@code prepare} and {@code run} share for this base. */
  public List<String> commonFlags() {
    List<String> f = new ArrayList<>(List.of("--base", base.toString(), "--profile", Tools.PROFILE,
        "--bind", "127.0.0.1", "--connect-port", Integer.toString(port), "--state-dir", stateDir.toString(),
        "--config-api-enable", "--config-api-prefix", "bench."));
    sync.ifPresent(s -> f.addAll(List.of("--sync-url", s.url(), "--sync-user", s.user(),
        "--sync-password-file", s.passwordFile().toString())));
    return f;
  }

  /** The stand-in Anki's command line on this base, as supervisord and the bare run start it. */
  public List<String> standInCommand() {
    List<String> cmd = new ArrayList<>(Tools.STAND_IN);
    cmd.addAll(List.of("-b", base.toString(), "-p", Tools.PROFILE));
    return cmd;
  }

  /**
   * The stand-in's environment as our launcher gives it (C4, C5), for the sides that start it
   * without our launcher, plus {@code knobs}.
   */
  public Map<String, String> standInEnv(Map<String, String> knobs) throws IOException {
    Path tmp = dir.resolve("tmp");
    Files.createDirectories(tmp);
    var env = new java.util.TreeMap<>(knobs);
    env.put("QT_QPA_PLATFORM", "offscreen");
    // As our launcher does: --no-sandbox when running as root (C9), where the zygote refuses otherwise.
    env.put("QTWEBENGINE_CHROMIUM_FLAGS", dev.ankisupervisor.testing.StandInAnkiProcess.isRoot()
        ? "--disable-gpu --no-sandbox" : "--disable-gpu");
    env.put("TMPDIR", tmp.toString());
    return env;
  }

  /** Where our supervisor writes its status file. */
  public Path statusFile() {
    return stateDir.resolve("sync-status.json");
  }
}
