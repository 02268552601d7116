package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ankisupervisor.config.BindSpec;
import dev.ankisupervisor.config.ShellWords;
import dev.ankisupervisor.config.SupervisorSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RunOptionsTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /** Parses like `execute` does (config file loaded first), without running anything. */
  private SupervisorSettings settings(Map<String, String> env, String... args) {
    SettingsDefaults defaults = new SettingsDefaults(env);
    CommandLine cl = new CommandLine(new AnkiSupervisorCommand()).addSubcommand("run", new RunCommand());
    defaults.load(args, cl);
    cl.setDefaultValueProvider(defaults);
    CommandLine.ParseResult parsed = cl.parseArgs(args);
    CommandLine.Model.CommandSpec run = parsed.subcommand().commandSpec();
    return new SupervisorOptions(FlagSpecs.values(run)).toSettings(run);
  }

  private int execute(Map<String, String> env, String... args) {
    CommandLine cl = AnkiSupervisorCommand.newCommandLine(env);
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  @Test
  void defaultsMatchTheDocumentedOnes() {
    SupervisorSettings s = settings(Map.of(), "run");
    assertThat(s.anki().base()).isEqualTo(Path.of("/var/lib/anki"));
    assertThat(s.anki().lang()).isEqualTo("en_US");
    assertThat(s.anki().command()).containsExactly("anki");
    assertThat(s.anki().addonDirName()).isEqualTo("2055492159");
    assertThat(s.connect().bind()).isEqualTo(new BindSpec.Tailscale("tailscale0", false));
    assertThat(s.connect().port()).isEqualTo(8765);
    assertThat(s.connect().corsOrigins()).containsExactly("http://localhost");
    assertThat(s.connect().configApi().maxValueBytes()).isEqualTo(65536);
    assertThat(s.statusFile()).isEqualTo(Path.of("/var/lib/anki/sync-status.json"));
    assertThat(s.startTimeout()).isEqualTo(Duration.ofSeconds(180));
    assertThat(s.stopTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(s.networkTimeout()).isEqualTo(Duration.ofSeconds(120));
    assertThat(s.livenessInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.livenessMisses()).isEqualTo(3);
    assertThat(s.restart().initialDelay()).isEqualTo(Duration.ofSeconds(1));
    assertThat(s.restart().maxDelay()).isEqualTo(Duration.ofSeconds(60));
    assertThat(s.restart().resetAfter()).isEqualTo(Duration.ofMinutes(10));
    assertThat(s.restart().maxRestarts()).isEqualTo(5);
    assertThat(s.restart().window()).isEqualTo(Duration.ofMinutes(10));
    assertThat(s.sync().interval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(s.sync().onStart()).isTrue();
  }

  @Test
  void flagBeatsEnvironmentBeatsFileBeatsDefault() throws Exception {
    Path file = dir.resolve("supervisor.properties");
    Files.writeString(file, "profile=from-file\nlang=de_DE\nliveness-misses=7\nstop-timeout=5m\n");
    Map<String, String> env = Map.of("ANKI_SUPERVISOR_LANG", "fr_FR", "ANKI_SUPERVISOR_LIVENESS_MISSES", "9");
    SupervisorSettings s = settings(env, "run", "--config", file.toString(), "--liveness-misses", "4");
    assertThat(s.livenessMisses()).isEqualTo(4);            // flag
    assertThat(s.anki().lang()).isEqualTo("fr_FR");          // env over file
    assertThat(s.anki().profile()).isEqualTo("from-file");   // file over default
    assertThat(s.stopTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(s.anki().base()).isEqualTo(Path.of("/var/lib/anki")); // default
  }

  @Test
  void relativePathsFromFlagEnvironmentAndFileAreTakenFromTheStartFolder() throws Exception {
    // Anki runs in its base folder, so each must be absolute before it reaches Anki's -b, TMPDIR or exec.
    Path file = dir.resolve("supervisor.properties");
    Files.writeString(file, "status-file=./state/sync-status.json\nmetrics-file=metrics.prom\n");
    Map<String, String> env = Map.of("ANKI_SUPERVISOR_STATE_DIR", "state");
    SupervisorSettings s = settings(env, "run", "--config", file.toString(), "--base", "anki",
        "--addon-source", "addon", "--anki-command", "venv/bin/anki --safe");
    Path here = Path.of("").toAbsolutePath();
    assertThat(s.anki().base()).isEqualTo(here.resolve("anki"));
    assertThat(s.stateDir()).isEqualTo(here.resolve("state"));
    assertThat(s.pidFile()).isEqualTo(here.resolve("state/anki.pid"));
    assertThat(s.statusFile()).isEqualTo(here.resolve("state/sync-status.json"));
    assertThat(s.metricsFile()).contains(here.resolve("metrics.prom"));
    assertThat(s.anki().addonSource()).contains(here.resolve("addon"));
    assertThat(s.anki().command()).containsExactly(here.resolve("venv/bin/anki").toString(), "--safe");
    // a bare name is left for the PATH
    assertThat(settings(Map.of(), "run", "--anki-command", "anki").anki().command()).containsExactly("anki");
  }

  @Test
  void configFileMayComeFromTheEnvironment() throws Exception {
    Path file = dir.resolve("c.properties");
    Files.writeString(file, "connect-port=9999\n");
    SupervisorSettings s = settings(Map.of("ANKI_SUPERVISOR_CONFIG", file.toString()), "run");
    assertThat(s.connect().port()).isEqualTo(9999);
  }

  @Test
  void ankiCommandIsShellWordsOrRepeatedWords() {
    assertThat(settings(Map.of(), "run", "--anki-command", "python3 -c \"import aqt; aqt.run()\"").anki().command())
        .containsExactly("python3", "-c", "import aqt; aqt.run()");
    assertThat(settings(Map.of(), "run", "--anki-command", "/opt/my anki", "--anki-command", "--flag").anki().command())
        .containsExactly("/opt/my anki", "--flag");
  }

  @Test
  void bindTakesAnAddressAndRefusesWildcardsUnlessAllowed() {
    assertThat(settings(Map.of(), "run", "--bind", "127.0.0.1").connect().bind()).isInstanceOf(BindSpec.Fixed.class);
    assertThatThrownBy(() -> settings(Map.of(), "run", "--bind", "0.0.0.0"))
        .isInstanceOf(UserError.class).hasMessageContaining("--allow-wildcard-bind");
    assertThat(settings(Map.of(), "run", "--bind", "0.0.0.0", "--allow-wildcard-bind").connect().allowWildcardBind()).isTrue();
    assertThatThrownBy(() -> settings(Map.of(), "run", "--bind", "my-host")).hasMessageContaining("neither `tailscale`");
  }

  @Test
  void syncFlagsAreParsedIntoSyncSettings() throws Exception {
    Path pw = dir.resolve("pw");
    Files.writeString(pw, "s3cret\n");
    SupervisorSettings s = settings(Map.of(), "run", "--sync-url", "http://h:27701", "--sync-user", "u",
        "--sync-password-file", pw.toString(), "--sync-interval", "90", "--no-sync-on-start");
    assertThat(s.sync().url()).hasValue("http://h:27701/");
    assertThat(s.sync().password().orElseThrow().reveal()).isEqualTo("s3cret");
    assertThat(s.sync().interval()).isEqualTo(Duration.ofSeconds(90));
    assertThat(s.sync().onStart()).isFalse();
  }

  @Test
  void badDurationIsAOneLineUsageError64() {
    assertThat(execute(Map.of(), "run", "--start-timeout", "soon")).isEqualTo(64);
    assertThat(err.toString()).contains("--start-timeout", "'soon' is not a duration").doesNotContain("Usage:");
    assertThat(err.toString().strip().lines()).hasSize(1);
  }

  @Test
  void badEnvironmentValueIsAConfigError78() {
    assertThat(execute(Map.of("ANKI_SUPERVISOR_CONNECT_PORT", "many"), "run")).isEqualTo(78);
    assertThat(err.toString()).contains("--connect-port", "ANKI_SUPERVISOR_CONNECT_PORT");
  }

  @Test
  void badValueInTheConfigFileIsAConfigError78() throws Exception {
    Path file = dir.resolve("c.properties");
    Files.writeString(file, "liveness-interval=often\n");
    assertThat(execute(Map.of(), "run", "--config", file.toString())).isEqualTo(78);
    assertThat(err.toString()).contains("--liveness-interval", file.toString());
  }

  @Test
  void unknownKeyInTheConfigFileIsAConfigError78() throws Exception {
    Path file = dir.resolve("c.properties");
    Files.writeString(file, "profil=typo\n");
    assertThat(execute(Map.of(), "run", "--config", file.toString())).isEqualTo(78);
    assertThat(err.toString()).contains("[profil]", "long flag names");
  }

  @Test
  void missingConfigFileIsAConfigError78() {
    assertThat(execute(Map.of(), "run", "--config", dir.resolve("nope").toString())).isEqualTo(78);
    assertThat(err.toString()).contains("cannot read config file");
  }

  @Test
  void unreadableSecretFileIsAConfigError78() {
    assertThat(execute(Map.of(), "run", "--api-key-file", dir.resolve("missing-key").toString())).isEqualTo(78);
    assertThat(err.toString()).contains("--api-key-file").doesNotContain("Exception");
  }

  @Test
  void helpShowsEachDefaultAndTheEnvironmentRule() {
    assertThat(execute(Map.of(), "run", "--help")).isZero();
    assertThat(out.toString()).contains("--start-timeout=DURATION", "Default: 180s", "Default: tailscale0",
        "Default: /var/lib/anki/sync-status.json", "ANKI_SUPERVISOR_SOME_FLAG");
  }

  @Test
  void envNamesAreUpperSnake() {
    assertThat(SettingsLookup.envName("--restart-initial-delay")).isEqualTo("ANKI_SUPERVISOR_RESTART_INITIAL_DELAY");
  }

  @Test
  void durationsAcceptEveryDocumentedForm() {
    assertThat(DurationText.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(DurationText.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(DurationText.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(DurationText.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(DurationText.parse("90")).isEqualTo(Duration.ofSeconds(90));
    assertThat(DurationText.parse("PT2M")).isEqualTo(Duration.ofMinutes(2));
    assertThatThrownBy(() -> DurationText.parse("-1s")).hasMessageContaining("not a duration");
    assertThat(DurationText.parse("365d")).isEqualTo(DurationText.MAX);
  }

  @Test
  void shellWordsHandleQuotesAndEscapes() {
    assertThat(ShellWords.split("a 'b c' \"d \\\"e\\\"\" f\\ g")).isEqualTo(List.of("a", "b c", "d \"e\"", "f g"));
    assertThatThrownBy(() -> ShellWords.split("a 'b")).hasMessageContaining("unbalanced");
  }

  @Test
  void aNamedSubcommandIsBuiltAloneAndTheTopLevelStillListsEveryOne() {
    // picocli reflects over every option of every command it holds: `status` must not pay for `run`.
    assertThat(AnkiSupervisorCommand.forArguments(Map.of(), "status", "--json").getSubcommands()).containsOnlyKeys("status");
    assertThat(AnkiSupervisorCommand.forArguments(Map.of(), "--help").getSubcommands())
        .containsKeys("run", "prepare", "config", "demo", "status", "sync-now", "full-sync", "check", "doctor", "backup", "help");
    assertThat(AnkiSupervisorCommand.forArguments(Map.of(), "help", "status").getSubcommands()).hasSize(11);
    // A bad flag of the lone subcommand keeps its own exit code (status: UNKNOWN 3).
    CommandLine status = AnkiSupervisorCommand.forArguments(Map.of(), "status", "--no-such-flag");
    status.setErr(new PrintWriter(err));
    assertThat(status.execute("status", "--no-such-flag")).isEqualTo(3);
  }
}
