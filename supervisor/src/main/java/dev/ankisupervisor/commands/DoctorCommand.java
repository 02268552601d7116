package dev.ankisupervisor.commands;

import dev.ankisupervisor.config.BindSpec;
import dev.ankisupervisor.config.Secret;
import dev.ankisupervisor.config.SecretFile;
import dev.ankisupervisor.config.StateFiles;
import dev.ankisupervisor.doctor.Doctor;
import dev.ankisupervisor.doctor.DoctorSettings;
import dev.ankisupervisor.doctor.Finding;
import dev.ankisupervisor.systemd.UnitSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code anki-supervisor doctor}: walks the troubleshooting list, prints one
 * line per check ({@code OK|PROBLEM <check>: <detail>; fix: <how>}) and exits with the number of
 * problems. Takes the same flags (and ANKI_SUPERVISOR_* variables, --config file) as {@code run},
 * so it sees what the service sees. Runs on the main thread.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true, showDefaultValues = true, sortOptions = false,
    description = {"Walks the troubleshooting list: Tailscale address, port, AnkiConnect and its patches, the sync"
        + " server, prefs21.db, the add-on, gldriver6, collection lock holders, the last sync and the last backup.",
        "Prints one line per check; the exit code is the number of problems (0: all fine)."},
    footer = {"", "Like run, every flag can be set by ANKI_SUPERVISOR_<FLAG> or the --config file; run it with the"
        + " service's environment: sudo -u anki env $(cat /etc/anki-supervisor/anki-connect.env) anki-supervisor doctor ..."})
final class DoctorCommand implements Callable<Integer> {
  @CommandLine.Spec CommandSpec spec;

  @Mixin CommandSpec config = FlagSpecs.mixin(ConfigFileOption.FLAGS);

  @Mixin UnitOption unit;

  @Mixin CommandSpec shared = FlagSpecs.mixin(Flag.concat(AnkiFolderOptions.FLAGS, AddonDirNameOption.FLAGS,
      ConnectOptions.FLAGS, ApiKeyFileOption.FLAGS, StatusFileOption.FLAGS, SyncUrlOption.FLAGS));

  @Option(names = "--backup-dir", paramLabel = "DIR",
      description = "The backups folder (backup --dest); its last-backup.json is checked. Default: not checked.")
  Path backupDir;

  @Option(names = "--backup-timer", paramLabel = "UNIT", defaultValue = "anki-sync-backup.timer",
      description = "The timer that runs the backups: while it is active and has not run yet, a missing"
          + " last-backup.json is no problem.")
  String backupTimer;

  @Option(names = "--max-backup-age", paramLabel = "DURATION", defaultValue = "36h", converter = DurationConverter.class,
      description = "A last successful backup older than this is a problem (daily timer + random delay + slack).")
  Duration maxBackupAge;

  @Option(names = "--probe-timeout", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
      description = "For each network probe.")
  Duration probeTimeout;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<Finding> findings = new Doctor(settings(), Clock.systemUTC()).run();
    findings.forEach(f -> out.println(f.line()));
    int problems = Doctor.problems(findings);
    out.println(problems == 0 ? "doctor: no problems found" : "doctor: " + problems + " problem(s) found");
    out.flush();
    return problems;
  }

  /** The API key; with --unit an unreadable credential is left to the unit check, which names it. */
  private Optional<String> apiKey(FlagValues values, Optional<UnitSettings> unit) {
    try {
      return ApiKeyFileOption.read(values).map(Secret::reveal);
    } catch (SecretFile.UnreadableException e) {
      if (unit.isEmpty()) {
        throw e;
      }
      return Optional.empty();
    }
  }

  private DoctorSettings settings() {
    FlagValues values = FlagSpecs.values(spec);
    BindSpec bind = ConnectOptions.bindSpec(values, spec);
    int port = ConnectOptions.port(values, spec);
    Optional<UnitSettings> unit = SettingsDefaults.of(spec).flatMap(SettingsDefaults::unit);
    Optional<String> key = apiKey(values, unit);
    Optional<String> syncUrl = Optional.ofNullable(values.get(SyncUrlOption.SYNC_URL)).filter(u -> !u.isEmpty());
    return SettingsCheck.checked(spec, () -> new DoctorSettings(values.get(AnkiFolderOptions.BASE),
        values.get(AnkiFolderOptions.PROFILE), values.get(AddonDirNameOption.ADDON_DIR_NAME), bind, port, key,
        StateFiles.ankiPidFile(values.get(AnkiFolderOptions.STATE_DIR)), values.get(StatusFileOption.STATUS_FILE), syncUrl,
        Optional.ofNullable(backupDir), maxBackupAge, probeTimeout, backupTimer, unit),
        "--base", "--profile", "--addon-dir-name", "--state-dir", "--status-file", "--sync-url", "--backup-dir",
        "--max-backup-age", "--probe-timeout");
  }
}
