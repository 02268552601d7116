package dev.ankisupervisor.commands;

import dev.ankisupervisor.ankiconnect.AnkiConnectClient;
import dev.ankisupervisor.ankiconnect.AnkiConnectEndpoint;
import dev.ankisupervisor.check.AddonConfigFile;
import dev.ankisupervisor.check.CheckOptions;
import dev.ankisupervisor.check.CheckReport;
import dev.ankisupervisor.check.DeployCheck;
import dev.ankisupervisor.config.AnkiSettings;
import dev.ankisupervisor.config.ConfigApiSettings;
import dev.ankisupervisor.config.Secret;
import dev.ankisupervisor.config.StateFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code anki-supervisor check}: the post-deploy check (steps a to g). Prints one line per step
 * ({@code PASS|FAIL|SKIP <id> <name>: <detail>}) or, with {@code --json}, one JSON object; the exit
 * code is the number of failed steps (0-8, below the sysexits range that usage and config errors
 * use). Runs on the calling thread; never prints the API key.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = {
      "Post-deploy check of AnkiConnect, our patches (config API, headless sync) and the last sync.",
      "Steps: a version; b getConfig of an absent key is null; c setConfig/getConfig round trip (key reset to null after);"
          + " d a key outside the prefixes is refused; e a value over maxValueBytes is refused;"
          + " f deckNames works (collection) and apiReflect lists the patched actions (patches);"
          + " g the status file's last sync is fresh (the rule `status` applies: within two of its sync intervals).",
      "Steps b-e need an allowed prefix (--config-prefix or --addon-dir), else they are skipped."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every step passed or was skipped",
      "1-8:that many steps failed",
      "64:bad usage (flags)",
      "78:an unreadable --api-key-file or --addon-dir"
    })
final class CheckCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin AnkiConnectUrlOption url;

  @Mixin UnitOption unit;

  @Mixin CommandSpec apiKeyFile = FlagSpecs.mixin(ApiKeyFileOption.FLAGS);

  @Mixin CommandSpec statusFile = FlagSpecs.mixin(StatusFileOption.FLAGS);

  @Option(names = "--config-prefix", paramLabel = "PREFIX", converter = ConfigApiPrefixConverter.class,
      description = "An allowed key prefix of configApi.allowedKeyPrefixes; repeat for each. The first is written under"
          + " (steps b, c, e); step d uses a key outside all of them. Default: read from --addon-dir.")
  List<String> configPrefixes = new ArrayList<>();

  @Option(names = "--config-max-bytes", paramLabel = "N",
      description = "configApi.maxValueBytes for step e (default: from --addon-dir, else 65536).")
  Integer configMaxBytes;

  @Option(names = "--addon-dir", paramLabel = "DIR",
      description = "The installed AnkiConnect folder (<base>/addons21/2055492159): its config.json and meta.json"
          + " give the prefixes and the cap when the flags above are not given.")
  Path addonDir;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
      description = "Timeout of each AnkiConnect call (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--json", description = "Print the results as one JSON object: {ok, failures, steps: [{step, name, outcome, detail}]}.")
  boolean json;

  @Override
  public Integer call() {
    FlagValues values = FlagSpecs.values(spec);
    Optional<String> key = ApiKeyFileOption.read(values).map(Secret::reveal);
    AnkiConnectEndpoint endpoint = url.endpoint(spec, values.get(StatusFileOption.STATUS_FILE), key);
    CheckOptions options = options();
    CheckReport report = new DeployCheck(new AnkiConnectClient(endpoint), options, Clock.systemUTC()).run();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(report.toJson());
    } else {
      report.lines().forEach(out::println);
    }
    out.flush();
    return report.failures();
  }

  /**
   * The service's installed AnkiConnect, {@code <base>/addons21/<addon-dir-name>} from the service's
   * settings (ANKI_SUPERVISOR_BASE and ANKI_SUPERVISOR_ADDON_DIR_NAME, or --unit's; else run's
   * defaults), when that folder is there: so the config API steps run on a default install.
   */
  private Optional<Path> serviceAddonDir() {
    Optional<SettingsDefaults> d = SettingsDefaults.of(spec);
    Path base = Path.of(d.flatMap(s -> s.serviceSetting("--base")).orElse(StateFiles.DEFAULT_STATE_DIR));
    String name = d.flatMap(s -> s.serviceSetting("--addon-dir-name")).orElse(AnkiSettings.ANKICONNECT_ADDON_ID);
    Path dir = base.resolve(AnkiSettings.ADDONS).resolve(name);
    return Files.isDirectory(dir) && Files.isReadable(dir) ? Optional.of(dir) : Optional.empty();
  }

  private CheckOptions options() {
    ConfigApiSettings fromAddon = ConfigApiSettings.DISABLED;
    Path addonDir = this.addonDir;
    if (addonDir == null && configPrefixes.isEmpty()) {
      addonDir = serviceAddonDir().orElse(null);
    }
    if (addonDir != null) {
      try {
        fromAddon = AddonConfigFile.readConfigApi(addonDir);
      } catch (IOException e) {
        throw new UserError(ExitCode.CONFIG, "cannot read --addon-dir " + addonDir + ": " + e.getMessage());
      }
    }
    List<String> prefixes = configPrefixes.isEmpty() ? fromAddon.allowedKeyPrefixes() : configPrefixes;
    int maxBytes = configMaxBytes != null ? configMaxBytes : fromAddon.maxValueBytes();
    return SettingsCheck.checked(spec,
        () -> new CheckOptions(prefixes, maxBytes, FlagSpecs.values(spec).get(StatusFileOption.STATUS_FILE), timeout),
        "--config-prefix", "--config-max-bytes", "--status-file", "--timeout");
  }
}
