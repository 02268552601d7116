package dev.ankisupervisor.commands;

import dev.ankisupervisor.config.AnkiSettings;
import dev.ankisupervisor.config.BindSpec;
import dev.ankisupervisor.config.Secret;
import dev.ankisupervisor.config.SupervisorSettings;
import dev.ankisupervisor.doctor.Doctor;
import dev.ankisupervisor.doctor.DoctorSettings;
import dev.ankisupervisor.doctor.Finding;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "The same config file as run's (properties).")
  Path config;

  @Option(names = "--base", paramLabel = "DIR", defaultValue = "/var/lib/anki", description = "Anki's base folder.")
  Path base;

  @Option(names = "--profile", paramLabel = "NAME", defaultValue = "server", description = "The profile.")
  String profile;

  @Option(names = "--addon-dir-name", paramLabel = "DIR", defaultValue = AnkiSettings.ANKICONNECT_ADDON_ID,
      description = "AnkiConnect's folder under addons21/.")
  String addonDirName;

  @Option(names = "--bind", paramLabel = "tailscale|ADDRESS", defaultValue = "tailscale",
      description = "Where AnkiConnect binds.")
  String bind;

  @Option(names = "--tailscale-interface", paramLabel = "IFACE", defaultValue = "tailscale0",
      description = "The Tailscale interface.")
  String tailscaleInterface;

  @Option(names = "--ipv6", defaultValue = "false", description = "Expect the Tailscale IPv6 address.")
  boolean ipv6;

  @Option(names = "--connect-port", paramLabel = "PORT", defaultValue = "8765", description = "AnkiConnect's port.")
  int port;

  @Option(names = "--api-key-file", paramLabel = "FILE", description = "AnkiConnect's API key (first line), if set.")
  Path apiKeyFile;

  @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "/var/lib/anki",
      description = "The supervisor's state folder (its anki.pid names the supervised Anki).")
  Path stateDir;

  @Option(names = "--status-file", paramLabel = "FILE", defaultValue = "/var/lib/anki/sync-status.json",
      description = "The supervisor's status file.")
  Path statusFile;

  @Option(names = "--sync-url", paramLabel = "URL", converter = SyncUrlConverter.class,
      description = "The sync server; its /health is checked.")
  String syncUrl;

  @Option(names = "--backup-dir", paramLabel = "DIR",
      description = "The backups folder (backup --dest); its last-backup.json is checked. Default: not checked.")
  Path backupDir;

  @Option(names = "--max-sync-age", paramLabel = "DURATION", defaultValue = "1h", converter = DurationConverter.class,
      description = "A last successful sync older than this is a problem.")
  Duration maxSyncAge;

  @Option(names = "--max-backup-age", paramLabel = "DURATION", defaultValue = "36h", converter = DurationConverter.class,
      description = "A last successful backup older than this is a problem (daily timer + random delay + slack).")
  Duration maxBackupAge;

  @Option(names = "--probe-timeout", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
      description = "For each network probe.")
  Duration probeTimeout;

  @Option(names = "--locks-file", hidden = true, defaultValue = "/proc/locks", description = "Test only.")
  Path locksFile;

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

  private DoctorSettings settings() {
    BindSpec spec;
    if (bind.equals("tailscale")) {
      spec = new BindSpec.Tailscale(tailscaleInterface, ipv6);
    } else {
      try {
        spec = new BindSpec.Fixed(InetAddress.getByName(bind));
      } catch (UnknownHostException e) {
        throw new UserError(ExitCode.USAGE, "--bind " + bind + " is neither 'tailscale' nor an IP address; pass one");
      }
    }
    Optional<String> key = Optional.empty();
    if (apiKeyFile != null) {
      try {
        key = Optional.of(SecretFile.read(apiKeyFile).reveal());
      } catch (IOException e) {
        throw new UserError(ExitCode.CONFIG, "cannot read --api-key-file " + apiKeyFile + ": " + e.getMessage()
            + "; run doctor as the service's user, or as root");
      }
    }
    try {
      return new DoctorSettings(base, profile, addonDirName, spec, port, key,
          stateDir.resolve(SupervisorSettings.ANKI_PID_FILE), statusFile,
          Optional.ofNullable(syncUrl), Optional.ofNullable(backupDir), maxSyncAge, maxBackupAge, probeTimeout, locksFile);
    } catch (IllegalArgumentException e) {
      throw new UserError(ExitCode.USAGE, e.getMessage());
    }
  }
}
