package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code backup}'s quick path ({@link BackupCommand#quick}) reads its command line as picocli does: the
 * same job wherever it answers, no answer wherever picocli's rules or messages are needed.
 */
class QuickBackupTest {
  private static BackupCommand.Job viaPicocli(Map<String, String> env, String... args) {
    SettingsDefaults defaults = new SettingsDefaults(env);
    CommandLine cl = new CommandLine(new AnkiSupervisorCommand()).addSubcommand("backup", new BackupCommand());
    defaults.load(args, cl);
    cl.setDefaultValueProvider(defaults);
    CommandSpec backup = cl.parseArgs(args).subcommand().commandSpec();
    return BackupCommand.job(FlagSpecs.values(backup), backup);
  }

  private static Optional<BackupCommand.Job> quick(Map<String, String> env, String... args) {
    return BackupCommand.quickJob(args, env);
  }

  private static void assertSameAsPicocli(Map<String, String> env, String... args) {
    BackupCommand.Job quick = quick(env, args).orElseThrow(() -> new AssertionError("no quick parse of " + List.of(args)));
    BackupCommand.Job picocli = viaPicocli(env, args);
    assertThat(quick.request()).as("%s", List.of(args)).isEqualTo(picocli.request());
    assertThat(quick.json()).isEqualTo(picocli.json());
    assertThat(quick.progressInterval()).isEqualTo(picocli.progressInterval());
    assertThat(quick.control()).usingRecursiveComparison().isEqualTo(picocli.control());
  }

  @Test
  void theTimersCommandLineIsReadAsPicocliReadsIt() {
    assertSameAsPicocli(Map.of(), "backup", "--source", "/var/lib/anki-sync-server", "--dest", "/mnt/data/backups/anki");
    assertSameAsPicocli(Map.of("ANKI_SUPERVISOR_KEEP_DAILY", "3", "ANKI_SUPERVISOR_JSON", "true"), "backup",
        "--source=/s", "--dest", "/d", "--stop-unit", "anki-sync-server.service", "--keep-weekly", "0",
        "--keep-monthly=2", "--passes", "3", "--progress-interval", "1s", "--systemctl-timeout", "5s");
    assertSameAsPicocli(Map.of("ANKI_SUPERVISOR_JSON", "false"), "backup", "--json", "--source", "/s", "--dest", "/d");
  }

  @Test
  void leavesToPicocliWhatNeedsItsRulesOrMessages() {
    for (String[] args : List.of(new String[] {"backup"}, new String[] {"backup", "--source", "/s"},
        new String[] {"backup", "--help"}, new String[] {"backup", "--source", "/s", "--dest", "/d", "--bogus"},
        new String[] {"backup", "--source", "/s", "--dest", "/d", "--keep-daily", "x"},
        new String[] {"backup", "--source", "/s", "--dest", "/d", "--passes", "1"},
        new String[] {"backup", "--source", "/s", "--dest", "/d", "--progress-interval", "10ms"},
        new String[] {"backup", "--source", "/s", "--dest", "/d", "--json=true"})) {
      assertThat(quick(Map.of(), args)).as("%s", List.of(args)).isEmpty();
    }
  }
}
