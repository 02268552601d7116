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

/**
 * Every setting of {@code run} and {@code prepare} (and {@code config}, which prints them): their
 * {@link Flag}s, declared once, and the one place that checks their values and builds the settings
 * records. Each flag may also come from its environment variable ({@code ANKI_SUPERVISOR_<FLAG>}) or
 * the config file ({@link SettingsDefaults}). A command takes them as one mixin
 * ({@code FlagSpecs.mixin(SupervisorOptions.FLAGS)}); {@code run}'s quick parse ({@link QuickRun})
 * reads the same declarations.
 *
 * <p>Threading: the parsing thread.
 */
final class SupervisorOptions {
  // ---- Anki (C1, C4) ----
  static final Flag<String> LANG = Flag.text("--lang", "LANG",
      "Anki's language (-l and prefs21.db defaultLang); empty: no -l.").withDefault("en_US");

  static final Flag<List<String>> ANKI_COMMAND = Flag.words("--anki-command", "CMD",
      "The command that starts Anki, without -b/-p/-l: one shell-words string, or one word per"
          + " repeated flag, e.g. 'python3 -c \"import aqt,sys; sys.argv[0]=\\\"Anki\\\"; aqt.run()\"'.")
      .withDefault("anki");

  static final Flag<Path> ADDON_SOURCE = Flag.path("--addon-source", "DIR",
      "A read-only folder holding AnkiConnect's files (e.g. a Nix store path): before each launch"
          + " addons21/<--addon-dir-name> is made to match it (meta.json and user_files/ kept). Default: none"
          + " (AnkiConnect is installed in addons21/ by hand).");

  // ---- AnkiConnect (A1) ----
  static final Flag<List<String>> CORS_ORIGINS = Flag.list("--cors-origin", "ORIGIN",
      "An allowed CORS origin (webCorsOriginList); repeatable or comma-separated.").withDefault("http://localhost");

  static final Flag<Boolean> CONFIG_API_ENABLE = Flag.toggle("--config-api-enable",
      "Enable the patched getConfig/setConfig actions (the config API patch). Default: off.");

  static final Flag<List<String>> CONFIG_API_PREFIXES = Flag.list("--config-api-prefix", "PREFIX",
      "A collection config key prefix the config API may touch; repeatable or comma-separated."
          + " Default: none.").checkedBy(ConfigApiSettings::checkPrefix);

  static final Flag<Integer> CONFIG_API_MAX_BYTES = Flag.number("--config-api-max-bytes", "N",
      "The largest config value, as compact UTF-8 JSON.").withDefault("65536");

  // ---- files ----
  static final Flag<Path> METRICS_FILE = Flag.path("--metrics-file", "FILE",
      "A Prometheus textfile to keep current. Default: none.");

  // ---- timings ----
  static final Flag<Duration> START_TIMEOUT = Flag.duration("--start-timeout",
      "Launch to ready before diagnosing what Anki is stuck on and restarting it.").withDefault("180s");

  static final Flag<Duration> STOP_TIMEOUT = Flag.duration("--stop-timeout",
      "SIGTERM to SIGKILL when stopping Anki (a big collection takes tens of seconds to close).").withDefault("60s");

  static final Flag<Duration> NETWORK_TIMEOUT = Flag.duration("--network-timeout",
      "How long to wait for the bind address before exiting with 75.").withDefault("120s");

  static final Flag<Duration> LIVENESS_INTERVAL = Flag.duration("--liveness-interval",
      "Between `version` probes (and bind address checks) while ready.").withDefault("30s");

  static final Flag<Integer> LIVENESS_MISSES = Flag.number("--liveness-misses", "N",
      "Missed probes in a row that mean Anki hangs (misses during a sync do not count).").withDefault("3");

  static final Flag<Duration> RESTART_INITIAL_DELAY = Flag.duration("--restart-initial-delay",
      "The first restart delay; it doubles per failure in a row. The crash of a ready Anki is relaunched"
          + " at once; the delay applies from the second failure in a row.").withDefault("1s");

  static final Flag<Duration> RESTART_MAX_DELAY = Flag.duration("--restart-max-delay",
      "The largest restart delay.").withDefault("60s");

  static final Flag<Duration> RESTART_RESET_AFTER = Flag.duration("--restart-reset-after",
      "Ready this long and the failure count starts over.").withDefault("10m");

  static final Flag<Integer> MAX_RESTARTS = Flag.number("--max-restarts", "N",
      "More restarts than this within --restart-window: give up with exit 69.").withDefault("5");

  static final Flag<Duration> RESTART_WINDOW = Flag.duration("--restart-window",
      "The window for --max-restarts.").withDefault("10m");

  // ---- sync (C8) ----
  static final Flag<String> SYNC_USER = Flag.text("--sync-user", "NAME", "The sync user. Default: none.");

  static final Flag<Path> SYNC_PASSWORD_FILE = Flag.path("--sync-password-file", "FILE",
      "A file holding the sync password on its first line (never logged). Default: none.");

  static final Flag<Duration> SYNC_INTERVAL = Flag.duration("--sync-interval",
      "Between sync starts; 0 turns the sync loop off.").withDefault("5m");

  static final Flag<Boolean> SYNC_ON_START = Flag.negatable("--sync-on-start",
      "Sync once as soon as Anki is ready (--no-sync-on-start: wait for the first interval). Default: on.");

  /** Every flag, in the order usage lists them. */
  static final List<Flag<?>> FLAGS = Flag.concat(ConfigFileOption.FLAGS, AnkiFolderOptions.FLAGS,
      List.of(LANG, ANKI_COMMAND), AddonDirNameOption.FLAGS, List.of(ADDON_SOURCE), ConnectOptions.FLAGS,
      ApiKeyFileOption.FLAGS, List.of(CORS_ORIGINS, CONFIG_API_ENABLE, CONFIG_API_PREFIXES, CONFIG_API_MAX_BYTES),
      StatusFileOption.FLAGS, List.of(METRICS_FILE, START_TIMEOUT, STOP_TIMEOUT, NETWORK_TIMEOUT, LIVENESS_INTERVAL,
          LIVENESS_MISSES, RESTART_INITIAL_DELAY, RESTART_MAX_DELAY, RESTART_RESET_AFTER, MAX_RESTARTS, RESTART_WINDOW),
      SyncUrlOption.FLAGS, List.of(SYNC_USER, SYNC_PASSWORD_FILE, SYNC_INTERVAL, SYNC_ON_START));

  /** The flags that name a file holding a secret: `config` shows them as {@code <from FILE>}, never reads them. */
  static final Set<String> SECRET_FILE_FLAGS = Set.of(ApiKeyFileOption.API_KEY_FILE.name(), SYNC_PASSWORD_FILE.name());

  /** The parsed values. */
  private final FlagValues values;

  SupervisorOptions(FlagValues values) {
    this.values = values;
  }

  /** Reads a secret flag's file into a secret. */
  @FunctionalInterface
  interface SecretReader {
    Optional<Secret> read(Path file, String flag);
  }

  /**
   * Checks the options and builds the settings. A bad value exits 64 when every setting involved was
   * a flag, 78 when one came from the environment or the config file ({@link SettingsCheck#checked}).
   *
   * @param spec the command whose options these are (to tell where each value came from); null in {@code run}'s
   *     quick parse, which leaves a refused value to picocli
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
    Optional<Secret> apiKey = secrets.read(values.get(ApiKeyFileOption.API_KEY_FILE), ApiKeyFileOption.API_KEY_FILE.name());
    Optional<Secret> syncPassword = secrets.read(values.get(SYNC_PASSWORD_FILE), SYNC_PASSWORD_FILE.name());
    AnkiSettings anki = checked(spec, () -> new AnkiSettings(values.get(AnkiFolderOptions.BASE),
        values.get(AnkiFolderOptions.PROFILE), values.get(LANG), command(), values.get(AddonDirNameOption.ADDON_DIR_NAME),
        Optional.ofNullable(values.get(ADDON_SOURCE))),
        AnkiFolderOptions.BASE, AnkiFolderOptions.PROFILE, LANG, ANKI_COMMAND, AddonDirNameOption.ADDON_DIR_NAME,
        ADDON_SOURCE);
    List<String> prefixes = values.get(CONFIG_API_PREFIXES);
    ConfigApiSettings configApi = checked(spec, () -> new ConfigApiSettings(values.get(CONFIG_API_ENABLE),
        prefixes == null ? List.of() : prefixes, values.get(CONFIG_API_MAX_BYTES)),
        CONFIG_API_ENABLE, CONFIG_API_PREFIXES, CONFIG_API_MAX_BYTES);
    BindSpec bind = ConnectOptions.bindSpec(values, spec);
    int port = ConnectOptions.port(values, spec);
    ConnectSettings connectSettings = checked(spec, () -> new ConnectSettings(bind, port, apiKey, values.get(CORS_ORIGINS),
        configApi, values.get(ConnectOptions.ALLOW_WILDCARD_BIND)), CORS_ORIGINS);
    SyncSettings sync = checked(spec, () -> new SyncSettings(
        Optional.ofNullable(values.get(SyncUrlOption.SYNC_URL)).filter(s -> !s.isBlank()),
        Optional.ofNullable(values.get(SYNC_USER)).filter(s -> !s.isBlank()), syncPassword, values.get(SYNC_INTERVAL),
        values.get(SYNC_ON_START)),
        SyncUrlOption.SYNC_URL, SYNC_USER, SYNC_PASSWORD_FILE, SYNC_INTERVAL, SYNC_ON_START);
    RestartSettings restart = checked(spec, () -> new RestartSettings(values.get(RESTART_INITIAL_DELAY),
        values.get(RESTART_MAX_DELAY), values.get(RESTART_RESET_AFTER), values.get(MAX_RESTARTS), values.get(RESTART_WINDOW)),
        RESTART_INITIAL_DELAY, RESTART_MAX_DELAY, RESTART_RESET_AFTER, MAX_RESTARTS, RESTART_WINDOW);
    return checked(spec, () -> new SupervisorSettings(anki, connectSettings, sync, restart,
        values.get(AnkiFolderOptions.STATE_DIR), values.get(StatusFileOption.STATUS_FILE),
        Optional.ofNullable(values.get(METRICS_FILE)), values.get(START_TIMEOUT), values.get(STOP_TIMEOUT),
        values.get(NETWORK_TIMEOUT), values.get(LIVENESS_INTERVAL), values.get(LIVENESS_MISSES)),
        AnkiFolderOptions.STATE_DIR, StatusFileOption.STATUS_FILE, METRICS_FILE, START_TIMEOUT, STOP_TIMEOUT,
        NETWORK_TIMEOUT, LIVENESS_INTERVAL, LIVENESS_MISSES);
  }

  /** {@link SettingsCheck#checked} for the values of {@code flags}. */
  private static <T> T checked(CommandSpec spec, Supplier<T> build, Flag<?>... flags) {
    String[] names = new String[flags.length];
    for (int i = 0; i < flags.length; i++) {
      names[i] = flags[i].name();
    }
    return SettingsCheck.checked(spec, build, names);
  }

  /** The Anki command: one shell-words string, or the repeated words as given. */
  List<String> command() {
    List<String> ankiCommand = values.get(ANKI_COMMAND);
    if (ankiCommand == null || ankiCommand.isEmpty()) {
      throw new IllegalArgumentException("--anki-command is empty; give the command that starts Anki, e.g. anki");
    }
    return ankiCommand.size() == 1 ? ShellWords.split(ankiCommand.get(0)) : List.copyOf(ankiCommand);
  }
}
