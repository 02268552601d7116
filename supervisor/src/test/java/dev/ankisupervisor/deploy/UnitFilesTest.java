package dev.ankisupervisor.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.ankisupervisor.commands.AnkiSupervisorCommand;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Pins the settings of systemd/ that the supervisor's behaviour depends on (units, timer, watchdog),
 * so `mvn verify` catches a unit edit that would break them; .ci/verify-units.sh checks the syntax.
 */
class UnitFilesTest {
  private static final Path DIR = Path.of("systemd");
  private static final List<String> CONNECT_UNITS = List.of("anki-connect.service", "anki-connect@.service");

  @Test
  void connectUnitsAreNotifyServicesThatDoNotRestartOnUsageOrConfigErrors() throws IOException {
    for (String name : CONNECT_UNITS) {
      UnitFile u = UnitFile.read(DIR.resolve(name));
      assertThat(u.value("Service", "Type")).as("%s Type", name).hasValue("notify");
      assertThat(u.value("Service", "NotifyAccess")).as("%s NotifyAccess", name).hasValue("main");
      assertThat(u.value("Service", "Restart")).as("%s Restart", name).hasValue("on-failure");
      assertThat(u.value("Service", "RestartPreventExitStatus").map(s -> Arrays.asList(s.split("\\s+"))))
          .as("%s RestartPreventExitStatus", name).hasValue(List.of("64", "78", "243"));
      // A SIGTERM before the JVM's own handler (a stop right after a start) is a requested stop.
      assertThat(u.value("Service", "SuccessExitStatus")).as("%s SuccessExitStatus", name).hasValue("143");
      assertThat(u.value("Service", "KillMode")).as("%s KillMode", name).hasValue("mixed");
      assertThat(u.value("Service", "WatchdogSec")).as("%s WatchdogSec", name).isPresent();
      assertThat(u.value("Unit", "StartLimitIntervalSec")).as("%s start limit", name).isPresent();
      assertThat(u.value("Unit", "StartLimitBurst")).as("%s start limit", name).isPresent();
    }
  }

  @Test
  void connectUnitsGiveAnkiMoreTimeToStopThanTheSupervisorsOwnStopTimeout() throws IOException {
    for (String name : CONNECT_UNITS) {
      UnitFile u = UnitFile.read(DIR.resolve(name));
      // Without the variable the supervisor's default applies: 60 s (C6).
      Duration stop = environment(u).containsKey("ANKI_SUPERVISOR_STOP_TIMEOUT")
          ? systemdDuration(environment(u).get("ANKI_SUPERVISOR_STOP_TIMEOUT")) : Duration.ofSeconds(60);
      Duration systemd = systemdDuration(u.value("Service", "TimeoutStopSec").orElseThrow());
      assertThat(systemd).as("%s TimeoutStopSec vs --stop-timeout", name).isGreaterThan(stop);
    }
  }

  @Test
  void connectUnitsAreHardenedAndReadSecretsFromCredentialsOnly() throws IOException {
    for (String name : CONNECT_UNITS) {
      UnitFile u = UnitFile.read(DIR.resolve(name));
      assertThat(u.value("Service", "NoNewPrivileges")).hasValue("yes");
      assertThat(u.value("Service", "ProtectSystem")).hasValue("strict");
      assertThat(u.value("Service", "ProtectHome")).hasValue("yes");
      assertThat(u.value("Service", "PrivateTmp")).hasValue("yes");
      assertThat(u.value("Service", "User")).hasValue("anki");
      // QtWebEngine and the JVM need W+X memory: this setting would kill Anki at start.
      assertThat(u.value("Service", "MemoryDenyWriteExecute")).isEmpty();
      assertThat(u.values("Service", "LoadCredential")).hasSize(2);
      assertThat(environment(u)).containsEntry("ANKI_SUPERVISOR_API_KEY_FILE", "%d/anki-connect-api-key")
          .containsEntry("ANKI_SUPERVISOR_SYNC_PASSWORD_FILE", "%d/anki-sync-password");
    }
  }

  @Test
  void templateGivesEachProfileItsOwnStateFolderAndSettings() throws IOException {
    UnitFile u = UnitFile.read(DIR.resolve("anki-connect@.service"));
    assertThat(u.value("Service", "StateDirectory")).hasValue("anki/%i");
    assertThat(u.value("Service", "EnvironmentFile")).hasValue("/etc/anki-supervisor/%i.env");
    assertThat(environment(u)).containsEntry("ANKI_SUPERVISOR_PROFILE", "%i")
        .containsEntry("ANKI_SUPERVISOR_STATUS_FILE", "/var/lib/anki/%i/sync-status.json")
        // The port comes from the EnvironmentFile (ANKI_SUPERVISOR_CONNECT_PORT), one per instance.
        .doesNotContainKey("ANKI_SUPERVISOR_CONNECT_PORT");
  }

  @Test
  void connectUnitsPassOnlySettingsThatDifferFromRunsDefaultsAndNoFlagThatWouldShadowTheEnvironmentFile()
      throws IOException {
    Map<String, OptionSpec> run = new TreeMap<>();
    AnkiSupervisorCommand.newCommandLine(Map.of()).getSubcommands().get("run").getCommandSpec().options()
        .forEach(o -> run.put("ANKI_SUPERVISOR_" + o.longestName().substring(2).replace('-', '_').toUpperCase(Locale.ROOT), o));
    for (String name : CONNECT_UNITS) {
      UnitFile u = UnitFile.read(DIR.resolve(name));
      // A flag here would win over the operator's EnvironmentFile line for the same setting.
      assertThat(u.value("Service", "ExecStart")).as(name).hasValue("/usr/local/bin/anki-supervisor run");
      assertThat(u.values("Service", "EnvironmentFile")).as(name).hasSize(1);
      environment(u).forEach((variable, value) -> {
        if (variable.startsWith("ANKI_SUPERVISOR_")) {
          assertThat(run).as("%s: %s names a setting of run", name, variable).containsKey(variable);
          assertThat(value).as("%s: %s repeats run's default", name, variable).isNotEqualTo(run.get(variable).defaultValue());
        }
      });
    }
  }

  /** The unit's Environment= assignments, variable -> value. */
  private static Map<String, String> environment(UnitFile u) {
    Map<String, String> env = new TreeMap<>();
    for (String line : u.values("Service", "Environment")) {
      String unquoted = line.startsWith("\"") && line.endsWith("\"") ? line.substring(1, line.length() - 1) : line;
      int eq = unquoted.indexOf('=');
      env.put(unquoted.substring(0, eq), unquoted.substring(eq + 1));
    }
    return env;
  }

  @Test
  void syncServerStopsGracefullyOnSigintAndListensOn27701() throws IOException {
    UnitFile u = UnitFile.read(DIR.resolve("anki-sync-server.service"));
    assertThat(u.value("Service", "KillSignal")).hasValue("SIGINT"); // S3
    assertThat(u.values("Service", "Environment")).contains("SYNC_PORT=27701", "SYNC_BASE=/var/lib/anki-sync-server");
    assertThat(u.value("Service", "LoadCredential")).hasValueSatisfying(v -> assertThat(v).startsWith("sync-users:"));
    // started only once it listens (SyncServerUnitsIT: /health answers right after `systemctl start`)
    assertThat(u.value("Service", "ExecStartPost")).hasValue(u.value("Service", "ExecStart").orElseThrow()
        + " --wait-listening");
  }

  @Test
  void backupRunsDailyCatchingUpMissedRunsWithARandomDelay() throws IOException {
    UnitFile timer = UnitFile.read(DIR.resolve("anki-sync-backup.timer"));
    assertThat(timer.value("Timer", "OnCalendar")).hasValue("daily");
    assertThat(timer.value("Timer", "Persistent")).hasValue("true");
    assertThat(timer.value("Timer", "RandomizedDelaySec")).isPresent();
    UnitFile service = UnitFile.read(DIR.resolve("anki-sync-backup.service"));
    assertThat(service.value("Service", "Type")).hasValue("oneshot");
    assertThat(service.value("Service", "ExecStart").orElseThrow())
        .contains("backup --source /var/lib/anki-sync-server --dest /mnt/data/backups/anki")
        .contains("--stop-unit anki-sync-server.service")
        .doesNotContain("--keep-"); // the defaults; an EnvironmentFile line changes them
    assertThat(service.value("Service", "ReadWritePaths")).hasValue("/mnt/data/backups/anki");
  }

  /** systemd's time spans as used here: "90s", "2min", "1h", "60" (seconds). */
  private static Duration systemdDuration(String text) {
    Matcher m = Pattern.compile("(\\d+)\\s*(ms|s|sec|m|min|h)?").matcher(text.strip());
    assertThat(m.matches()).as("time span %s", text).isTrue();
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "m", "min" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofSeconds(n);
    };
  }
}
