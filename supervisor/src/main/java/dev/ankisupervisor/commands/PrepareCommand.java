package dev.ankisupervisor.commands;

import dev.ankisupervisor.config.SupervisorSettings;
import dev.ankisupervisor.prepare.BasePreparer;
import dev.ankisupervisor.prepare.BindAddressWaiter;
import dev.ankisupervisor.prepare.PrepareReport;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code anki-supervisor prepare}: the preparation of {@code run} alone (prefs21.db, gldriver6, AnkiConnect's
 * meta.json), then exit; for inspection and for setups that start Anki some other way. Takes the
 * same flags as {@code run}. The bind address is resolved without a long wait (at most
 * {@link #MAX_WAIT}, or --network-timeout if shorter).
 *
 * <p>Threading: the main thread only.
 */
@Command(name = "prepare", mixinStandardHelpOptions = true, showDefaultValues = true, sortOptions = false,
    description = "Prepares the Anki base folder (prefs21.db, gldriver6, AnkiConnect settings) and exits."
        + " Run it only while no Anki of that base runs.",
    footer = {"", "Same flags, environment variables and config file as `run`."})
final class PrepareCommand implements Callable<Integer> {
  /** The longest wait for the bind address: prepare is interactive, not a service. */
  static final Duration MAX_WAIT = Duration.ofSeconds(10);
  private static final Logger LOG = LoggerFactory.getLogger(PrepareCommand.class);

  @Mixin CommandSpec options = FlagSpecs.mixin(SupervisorOptions.FLAGS);
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    SettingsCheck.checkConfigKeys(spec);
    SettingsCheck.environmentWarnings(spec).forEach(LOG::warn);
    SupervisorSettings s = new SupervisorOptions(FlagSpecs.values(spec)).toSettings(spec);
    try (FolderOwnership owner = FolderOwnership.claim("prepare", java.util.Map.of("--base", s.anki().base()))) {
      return prepare(s);
    }
  }

  private int prepare(SupervisorSettings s) throws Exception {
    Duration wait = s.networkTimeout().compareTo(MAX_WAIT) < 0 ? s.networkTimeout() : MAX_WAIT;
    InetAddress address = new BindAddressWaiter().await(s.connect().bind(), wait, LOG::info);
    PrepareReport report = new BasePreparer().prepare(s.anki(), s.connect(), s.sync(), address);
    var out = spec.commandLine().getOut();
    out.println("prepared " + s.anki().base() + " for profile " + s.anki().profile() + " (AnkiConnect on "
        + address.getHostAddress() + ":" + s.connect().port() + ")"
        + (report.isUnchanged() ? ": nothing needed changing" : ": " + report.describe()));
    out.flush();
    return ExitCode.OK.code();
  }
}
