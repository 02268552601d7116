package dev.ankisupervisor.commands;

import dev.ankisupervisor.wiring.SpawnPathWarmup;
import dev.ankisupervisor.config.SupervisorSettings;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code anki-supervisor run}: the systemd service's ExecStart. Prepares, waits for the
 * network, launches Anki offscreen, tells systemd when AnkiConnect is ready, keeps it alive and stops
 * it cleanly on SIGTERM. Exit codes: 0 stopped, 64 usage, 69 Anki keeps failing, 74 I/O, 75 network
 * not ready, 78 configuration.
 *
 * <p>Threading: runs on the main thread, which waits for the supervisor thread to finish.
 */
@Command(name = "run", mixinStandardHelpOptions = true, showDefaultValues = true, sortOptions = false,
    description = "Supervises headless Anki: prepare, wait for the network, launch, watch, restart, stop.",
    footer = {"", "Every flag --some-flag can also be set by the environment variable ANKI_SUPERVISOR_SOME_FLAG or by"
        + " the key some-flag in the --config file (precedence: flag > environment > file > default).",
        "Durations: 500ms, 30s, 5m, 1h, or plain seconds."})
final class RunCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @Mixin CommandSpec options = FlagSpecs.mixin(SupervisorOptions.FLAGS);
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    SettingsCheck.checkConfigKeys(spec);
    SpawnPathWarmup.awaitLogging();
    SettingsCheck.environmentWarnings(spec).forEach(LOG::warn);
    SupervisorSettings settings = new SupervisorOptions(FlagSpecs.values(spec)).toSettings(spec);
    return SupervisorRun.run(settings, System.getenv(), java.util.Optional.empty());
  }
}
