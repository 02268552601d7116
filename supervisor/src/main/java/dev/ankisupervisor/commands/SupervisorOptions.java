package dev.ankisupervisor.commands;

import dev.ankisupervisor.config.AnkiSettings;
import dev.ankisupervisor.config.BindSpec;
import dev.ankisupervisor.config.ConfigApiSettings;
import dev.ankisupervisor.config.ConnectSettings;
import dev.ankisupervisor.config.RestartSettings;
import dev.ankisupervisor.config.Secret;
import dev.ankisupervisor.config.SecretFile;
import dev.ankisupervisor.config.ShellWords;
import dev.ankisupervisor.config.SupervisorSettings;
import dev.ankisupervisor.config.SyncSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Every setting of {@code run} and {@code prepare}, shared as one picocli mixin. Each flag may also
 * come from its environment variable ({@code ANKI_SUPERVISOR_<FLAG>}) or the config file
 * ({@link SettingsDefaults}); {@link #toSettings(CommandSpec)} checks them once and builds the records.
 *
 * <p>Threading: filled by picocli on the parsing thread, read on the same thread.
 */
final class SupervisorOptions {
  private static final String SYNC_PASSWORD_FILE = "--sync-password-file";

  @Mixin ConfigFileOption config;

  // ---- Anki (C1, C4) ----
  @Mixin AnkiFolderOptions folders;

  @Option(names = "--lang", paramLabel = "LANG", defaultValue = "en_US",
      description = "Anki's language (-l and prefs21.db defaultLang); empty: no -l.")
  String lang;

  @Option(names = "--anki-command", paramLabel = "CMD", defaultValue = "anki",
      description = "The command that starts Anki, without -b/-p/-l: one shell-words string, or one word per"
          + " repeated flag, e.g. 'python3 -c \"import aqt,sys; sys.argv[0]=\\\"Anki\\\"; aqt.run()\"'.")
  List<String> ankiCommand;

  @Mixin AddonDirNameOption addonDir;

  @Option(names = "--addon-source", paramLabel = "DIR",
      description = "A read-only folder holding AnkiConnect's files (e.g. a Nix store path): before each launch"
          + " addons21/<--addon-dir-name> is made to match it (meta.json and user_files/ kept). Default: none"
          + " (AnkiConnect is installed in addons21/ by hand).")
  Path addonSource;

  // ---- AnkiConnect (A1) ----
  @Mixin ConnectOptions connect;

  @Mixin ApiKeyFileOption apiKeyFile;

  @Option(names = "--cors-origin", paramLabel = "ORIGIN", defaultValue = "http://localhost", split = ",",
      description = "An allowed CORS origin (webCorsOriginList); repeatable or comma-separated.")
  List<String> corsOrigins;

  @Option(names = "--config-api-enable", defaultValue = "false",
      description = "Enable the patched getConfig/setConfig actions (the config API patch). Default: off.")
  boolean configApiEnable;

  @Option(names = "--config-api-prefix", paramLabel = "PREFIX", split = ",", converter = ConfigApiPrefixConverter.class,
      description = "A collection config key prefix the config API may touch; repeatable or comma-separated."
          + " Default: none.")
  List<String> configApiPrefixes;

  @Option(names = "--config-api-max-bytes", paramLabel = "N", defaultValue = "65536",
      description = "The largest config value, as compact UTF-8 JSON.")
  int configApiMaxBytes;

  // ---- files ----
  @Mixin StatusFileOption statusFile;

  @Option(names = "--metrics-file", paramLabel = "FILE",
      description = "A Prometheus textfile to keep current. Default: none.")
  Path metricsFile;

  // ---- timings ----
  @Option(names = "--start-timeout", paramLabel = "DURATION", defaultValue = "180s", converter = DurationConverter.class,
      description = "Launch to ready before diagnosing what Anki is stuck on and restarting it.")
  Duration startTimeout;

  @Option(names = "--stop-timeout", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
      description = "SIGTERM to SIGKILL when stopping Anki (a big collection takes tens of seconds to close).")
  Duration stopTimeout;

  @Option(names = "--network-timeout", paramLabel = "DURATION", defaultValue = "120s", converter = DurationConverter.class,
      description = "How long to wait for the bind address before exiting with 75.")
  Duration networkTimeout;

  @Option(names = "--liveness-interval", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
      description = "Between `version` probes (and bind address checks) while ready.")
  Duration livenessInterval;

  @Option(names = "--liveness-misses", paramLabel = "N", defaultValue = "3",
      description = "Missed probes in a row that mean Anki hangs (misses during a sync do not count).")
  int livenessMisses;

  @Option(names = "--restart-initial-delay", paramLabel = "DURATION", defaultValue = "1s", converter = DurationConverter.class,
      description = "The first restart delay; it doubles per failure in a row. The crash of a ready Anki is relaunched"
          + " at once; the delay applies from the second failure in a row.")
  Duration restartInitialDelay;

  @Option(names = "--restart-max-delay", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
      description = "The largest restart delay.")
  Duration restartMaxDelay;

  @Option(names = "--restart-reset-after", paramLabel = "DURATION", defaultValue = "10m", converter = DurationConverter.class,
      description = "Ready this long and the failure count starts over.")
  Duration restartResetAfter;

  @Option(names = "--max-restarts", paramLabel = "N", defaultValue = "5",
      description = "More restarts than this within --restart-window: give up with exit 69.")
  int maxRestarts;

  @Option(names = "--restart-window", paramLabel = "DURATION", defaultValue = "10m", converter = DurationConverter.class,
      description = "The window for --max-restarts.")
  Duration restartWindow;

  // ---- sync (C8) ----
  @Mixin SyncUrlOption syncUrl;

  @Option(names = "--sync-user", paramLabel = "NAME", description = "The sync user. Default: none.")
  String syncUser;

  @Option(names = SYNC_PASSWORD_FILE, paramLabel = "FILE",
      description = "A file holding the sync password on its first line (never logged). Default: none.")
  Path syncPasswordFile;

  @Option(names = "--sync-interval", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class,
      description = "Between sync starts; 0 turns the sync loop off.")
  Duration syncInterval;

  @Option(names = "--sync-on-start", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Sync once as soon as Anki is ready (--no-sync-on-start: wait for the first interval). Default: on.")
  boolean syncOnStart;

  /** The flags that name a file holding a secret: `config` shows them as {@code <from FILE>}, never reads them. */
  static final Set<String> SECRET_FILE_FLAGS = Set.of(ApiKeyFileOption.FLAG, SYNC_PASSWORD_FILE);

  /** Reads a secret flag's file into a secret. */
  @FunctionalInterface
  interface SecretReader {
    Optional<Secret> read(Path file, String flag);
  }

  /**
   * Checks the options and builds the settings. A bad value exits 64 when every setting involved was
   * a flag, 78 when one came from the environment or the config file ({@link SettingsCheck#checked}).
   *
   * @param spec the command whose options these are (to tell where each value came from)
   * @throws UserError USAGE (64) or CONFIG (78) for a bad value
   * @throws SecretFile.UnreadableException for an unreadable secret file (78)
   */
  SupervisorSettings toSettings(CommandSpec spec) {
    return toSettings(spec, SecretFile::read);
  }

  /**
   * The same, with the secret files read by {@code secrets}: {@code config} checks every rule without
   * reading them (they may exist only inside the unit, as systemd credentials).
   */
  SupervisorSettings toSettings(CommandSpec spec, SecretReader secrets) {
    Optional<Secret> apiKey = secrets.read(apiKeyFile.file, ApiKeyFileOption.FLAG);
    Optional<Secret> syncPassword = secrets.read(syncPasswordFile, SYNC_PASSWORD_FILE);
    AnkiSettings anki = checked(spec, () -> new AnkiSettings(folders.base, folders.profile, lang, command(),
        addonDir.name, Optional.ofNullable(addonSource)),
        "--base", "--profile", "--lang", "--anki-command", "--addon-dir-name", "--addon-source");
    ConfigApiSettings configApi = checked(spec, () -> new ConfigApiSettings(configApiEnable,
        configApiPrefixes == null ? List.of() : configApiPrefixes, configApiMaxBytes),
        "--config-api-enable", "--config-api-prefix", "--config-api-max-bytes");
    BindSpec bind = connect.bindSpec(spec);
    int port = connect.port(spec);
    ConnectSettings connectSettings = checked(spec, () -> new ConnectSettings(bind, port, apiKey, corsOrigins,
        configApi, connect.allowWildcardBind), "--cors-origin");
    SyncSettings sync = checked(spec, () -> new SyncSettings(Optional.ofNullable(syncUrl.url).filter(s -> !s.isBlank()),
        Optional.ofNullable(syncUser).filter(s -> !s.isBlank()), syncPassword, syncInterval, syncOnStart),
        "--sync-url", "--sync-user", SYNC_PASSWORD_FILE, "--sync-interval", "--sync-on-start");
    RestartSettings restart = checked(spec, () -> new RestartSettings(restartInitialDelay, restartMaxDelay,
        restartResetAfter, maxRestarts, restartWindow),
        "--restart-initial-delay", "--restart-max-delay", "--restart-reset-after", "--max-restarts", "--restart-window");
    return checked(spec, () -> new SupervisorSettings(anki, connectSettings, sync, restart, folders.stateDir,
        statusFile.file, Optional.ofNullable(metricsFile), startTimeout, stopTimeout, networkTimeout, livenessInterval,
        livenessMisses),
        "--state-dir", "--status-file", "--metrics-file", "--start-timeout", "--stop-timeout", "--network-timeout",
        "--liveness-interval", "--liveness-misses");
  }

  private static <T> T checked(CommandSpec spec, Supplier<T> build, String... flags) {
    return SettingsCheck.checked(spec, build, flags);
  }

  /** The Anki command: one shell-words string, or the repeated words as given. */
  List<String> command() {
    if (ankiCommand == null || ankiCommand.isEmpty()) {
      throw new IllegalArgumentException("--anki-command is empty; give the command that starts Anki, e.g. anki");
    }
    return ankiCommand.size() == 1 ? ShellWords.split(ankiCommand.get(0)) : List.copyOf(ankiCommand);
  }
}
