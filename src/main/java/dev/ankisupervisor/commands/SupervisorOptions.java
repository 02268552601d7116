package dev.ankisupervisor.commands;

import dev.ankisupervisor.config.AnkiSettings;
import dev.ankisupervisor.config.BindSpec;
import dev.ankisupervisor.config.ConfigApiSettings;
import dev.ankisupervisor.config.ConnectSettings;
import dev.ankisupervisor.config.RestartSettings;
import dev.ankisupervisor.config.Secret;
import dev.ankisupervisor.config.SupervisorSettings;
import dev.ankisupervisor.config.SyncSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * Every setting of {@code run} and {@code prepare}, shared as one picocli mixin. Each flag may also
 * come from its environment variable ({@code ANKI_SUPERVISOR_<FLAG>}) or the config file
 * ({@link SettingsDefaults}); {@link #toSettings(CommandSpec)} checks them once and builds the records.
 *
 * <p>Threading: filled by picocli on the parsing thread, read on the same thread.
 */
final class SupervisorOptions {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  @Option(names = "--config", paramLabel = "FILE",
      description = "A key=value properties file whose keys are the long flag names (e.g. `profile=server`);"
          + " precedence: flag > environment > file > default.")
  Path config;

  // ---- Anki (C1, C4) ----
  @Option(names = "--base", paramLabel = "DIR", defaultValue = "/var/lib/anki",
      description = "Anki's base folder (-b): prefs21.db, addons21/, the profile folder.")
  Path base;

  @Option(names = "--profile", paramLabel = "NAME", defaultValue = "server",
      description = "The Anki profile to open (-p; exact, case-sensitive, C3).")
  String profile;

  @Option(names = "--lang", paramLabel = "LANG", defaultValue = "en_US",
      description = "Anki's language (-l and prefs21.db defaultLang, C2/C3); empty: no -l.")
  String lang;

  @Option(names = "--anki-command", paramLabel = "CMD", defaultValue = "anki",
      description = "The command that starts Anki, without -b/-p/-l (C4): one shell-words string, or one word per"
          + " repeated flag, e.g. 'python3 -c \"import aqt,sys; sys.argv[0]=\\\"Anki\\\"; aqt.run()\"'.")
  List<String> ankiCommand;

  @Option(names = "--addon-dir-name", paramLabel = "DIR", defaultValue = AnkiSettings.ANKICONNECT_ADDON_ID,
      description = "AnkiConnect's folder under addons21/ (A1).")
  String addonDirName;

  @Option(names = "--addon-source", paramLabel = "DIR",
      description = "A read-only folder holding AnkiConnect's files (e.g. a Nix store path, N1-N4): before each launch"
          + " addons21/<--addon-dir-name> is made to match it (meta.json and user_files/ kept). Default: none"
          + " (AnkiConnect is installed in addons21/ by hand).")
  Path addonSource;

  // ---- AnkiConnect (A1) ----
  @Option(names = "--bind", paramLabel = "tailscale|ADDRESS", defaultValue = "tailscale",
      description = "Where AnkiConnect binds: `tailscale` waits for the Tailscale address of --tailscale-interface;"
          + " ADDRESS waits until that IP is assigned.")
  String bind;

  @Option(names = "--tailscale-interface", paramLabel = "IFACE", defaultValue = "tailscale0",
      description = "The interface holding the Tailscale address (100.64.0.0/10).")
  String tailscaleInterface;

  @Option(names = "--ipv6", defaultValue = "false",
      description = "With --bind tailscale, use the Tailscale IPv6 address (fd7a:115c:a1e0::/48). Default: off.")
  boolean ipv6;

  @Option(names = "--allow-wildcard-bind", defaultValue = "false",
      description = "Allow --bind 0.0.0.0 or :: (exposes AnkiConnect on every network). Default: off.")
  boolean allowWildcardBind;

  @Option(names = "--connect-port", paramLabel = "PORT", defaultValue = "8765",
      description = "AnkiConnect's port (webBindPort).")
  int connectPort;

  @Option(names = "--api-key-file", paramLabel = "FILE",
      description = "A file holding AnkiConnect's apiKey on its first line (never logged). Default: no key.")
  Path apiKeyFile;

  @Option(names = "--cors-origin", paramLabel = "ORIGIN", defaultValue = "http://localhost", split = ",",
      description = "An allowed CORS origin (webCorsOriginList); repeatable or comma-separated.")
  List<String> corsOrigins;

  @Option(names = "--config-api-enable", defaultValue = "false",
      description = "Enable the patched getConfig/setConfig actions (P1). Default: off.")
  boolean configApiEnable;

  @Option(names = "--config-api-prefix", paramLabel = "PREFIX", split = ",", converter = ConfigApiPrefixConverter.class,
      description = "A collection config key prefix the config API may touch (P1); repeatable or comma-separated."
          + " Default: none.")
  List<String> configApiPrefixes;

  @Option(names = "--config-api-max-bytes", paramLabel = "N", defaultValue = "65536",
      description = "The largest config value, as compact UTF-8 JSON (P1).")
  int configApiMaxBytes;

  // ---- files ----
  @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "/var/lib/anki",
      description = "Where the pidfile (anki.pid) and Anki's private TMPDIR live.")
  Path stateDir;

  @Option(names = "--status-file", paramLabel = "FILE", defaultValue = "/var/lib/anki/sync-status.json",
      description = "The status file (sync-status.json, schema 1).")
  Path statusFile;

  @Option(names = "--metrics-file", paramLabel = "FILE",
      description = "A Prometheus textfile to keep current. Default: none.")
  Path metricsFile;

  // ---- timings ----
  @Option(names = "--start-timeout", paramLabel = "DURATION", defaultValue = "180s", converter = DurationConverter.class,
      description = "Launch to ready before diagnosing what Anki is stuck on and restarting it.")
  Duration startTimeout;

  @Option(names = "--stop-timeout", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
      description = "SIGTERM to SIGKILL when stopping Anki (C6: a big collection takes tens of seconds).")
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
  @Option(names = "--sync-url", paramLabel = "URL", converter = SyncUrlConverter.class,
      description = "The self-hosted sync server, e.g. http://host:27701/ (trailing slash added, C8). Default: none.")
  String syncUrl;

  @Option(names = "--sync-user", paramLabel = "NAME", description = "The sync user. Default: none.")
  String syncUser;

  @Option(names = "--sync-password-file", paramLabel = "FILE",
      description = "A file holding the sync password on its first line (never logged). Default: none.")
  Path syncPasswordFile;

  @Option(names = "--sync-interval", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class,
      description = "Between sync starts; 0 turns the sync loop off.")
  Duration syncInterval;

  @Option(names = "--sync-on-start", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Sync once as soon as Anki is ready (--no-sync-on-start: wait for the first interval). Default: on.")
  boolean syncOnStart;

  /** The flags that name a file holding a secret: `config` shows them as {@code <from FILE>}, never reads them. */
  static final Set<String> SECRET_FILE_FLAGS = Set.of("--api-key-file", "--sync-password-file");

  /** Reads a secret flag's file into a secret. */
  @FunctionalInterface
  interface SecretReader {
    Optional<Secret> read(Path file, String flag);
  }

  /**
   * Checks the options and builds the settings. A bad value exits 64 when every setting involved was
   * a flag, 78 when one came from the environment or the config file ({@link SettingSource}).
   *
   * @param spec the command whose options these are (to tell where each value came from)
   * @throws UserError USAGE (64) or CONFIG (78) for a bad value, CONFIG (78) for an unreadable secret file
   */
  SupervisorSettings toSettings(CommandSpec spec) {
    return toSettings(spec, SupervisorOptions::readSecret);
  }

  /**
   * The same, with the secret files read by {@code secrets}: {@code config} checks every rule without
   * reading them (they may exist only inside the unit, as systemd credentials).
   */
  SupervisorSettings toSettings(CommandSpec spec, SecretReader secrets) {
    Optional<Secret> apiKey = secrets.read(apiKeyFile, "--api-key-file");
    Optional<Secret> syncPassword = secrets.read(syncPasswordFile, "--sync-password-file");
    AnkiSettings anki = checked(spec, () -> new AnkiSettings(base, profile, lang, command(), addonDirName,
        Optional.ofNullable(addonSource)),
        "--base", "--profile", "--lang", "--anki-command", "--addon-dir-name", "--addon-source");
    ConfigApiSettings configApi = checked(spec, () -> new ConfigApiSettings(configApiEnable,
        configApiPrefixes == null ? List.of() : configApiPrefixes, configApiMaxBytes),
        "--config-api-enable", "--config-api-prefix", "--config-api-max-bytes");
    ConnectSettings connect = checked(spec, () -> new ConnectSettings(bindSpec(), connectPort, apiKey, corsOrigins,
        configApi, allowWildcardBind),
        "--bind", "--tailscale-interface", "--ipv6", "--connect-port", "--cors-origin", "--allow-wildcard-bind");
    SyncSettings sync = checked(spec, () -> new SyncSettings(Optional.ofNullable(syncUrl).filter(s -> !s.isBlank()),
        Optional.ofNullable(syncUser).filter(s -> !s.isBlank()), syncPassword, syncInterval, syncOnStart),
        "--sync-url", "--sync-user", "--sync-password-file", "--sync-interval", "--sync-on-start");
    RestartSettings restart = checked(spec, () -> new RestartSettings(restartInitialDelay, restartMaxDelay,
        restartResetAfter, maxRestarts, restartWindow),
        "--restart-initial-delay", "--restart-max-delay", "--restart-reset-after", "--max-restarts", "--restart-window");
    return checked(spec, () -> new SupervisorSettings(anki, connect, sync, restart, stateDir, statusFile,
        Optional.ofNullable(metricsFile), startTimeout, stopTimeout, networkTimeout, livenessInterval, livenessMisses),
        "--state-dir", "--status-file", "--metrics-file", "--start-timeout", "--stop-timeout", "--network-timeout",
        "--liveness-interval", "--liveness-misses");
  }

  /**
   * Builds one settings record; its refusal becomes a UserError whose code follows where the
   * {@code flags} feeding it came from (78 if any came from the environment or the config file).
   */
  private static <T> T checked(CommandSpec spec, Supplier<T> build, String... flags) {
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      SettingSource worst = SettingSource.FLAG;
      StringBuilder where = new StringBuilder();
      if (spec != null && spec.defaultValueProvider() instanceof SettingsDefaults defaults) {
        for (String flag : flags) {
          OptionSpec option = spec.findOption(flag);
          if (option == null) {
            continue;
          }
          SettingSource source = defaults.sourceOf(option);
          if (source.exitCode() == ExitCode.CONFIG) {
            worst = source;
            where.append(defaults.describeSource(option).replaceFirst("^ \\(from ", " (" + flag + " from "));
          }
        }
      }
      throw new UserError(worst.exitCode(), e.getMessage() + where);
    }
  }

  /** The Anki command: one shell-words string, or the repeated words as given. */
  List<String> command() {
    if (ankiCommand == null || ankiCommand.isEmpty()) {
      throw new IllegalArgumentException("--anki-command is empty; give the command that starts Anki, e.g. anki");
    }
    return ankiCommand.size() == 1 ? ShellWords.split(ankiCommand.get(0)) : List.copyOf(ankiCommand);
  }

  BindSpec bindSpec() {
    String b = bind.strip();
    if (b.equalsIgnoreCase("tailscale")) {
      return new BindSpec.Tailscale(tailscaleInterface, ipv6);
    }
    if (!IPV4.matcher(b).matches() && !b.contains(":")) {
      throw new IllegalArgumentException("--bind '" + bind + "' is neither `tailscale` nor an IP address;"
          + " give an address such as 100.64.0.1 (host names are not resolved)");
    }
    try {
      return new BindSpec.Fixed(InetAddress.getByName(b.replaceAll("^\\[|]$", "")));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--bind '" + bind + "' is not a valid IP address; give e.g. 100.64.0.1");
    }
  }

  static Optional<Secret> readSecret(Path file, String flag) {
    if (file == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(SecretFile.read(file));
    } catch (IOException | IllegalArgumentException e) {
      throw new UserError(ExitCode.CONFIG, "cannot read " + flag + " (" + e.getMessage()
          + "); the file must be readable by this user and hold the secret on its first line");
    }
  }

}
