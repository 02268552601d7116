package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code run}'s quick parse ({@link QuickRun}) against picocli's, on the same command lines,
 * environments and config files: the same settings and the same warnings wherever the quick parse
 * answers, and no answer (picocli decides) wherever picocli's rules or messages are needed.
 */
class QuickRunTest {
  @TempDir Path dir;

  /** picocli's path as {@code execute} takes it, up to the settings and the warnings {@code run} logs. */
  private static QuickRun.Parsed viaPicocli(Map<String, String> env, String... args) {
    SettingsDefaults defaults = new SettingsDefaults(env);
    CommandLine cl = new CommandLine(new AnkiSupervisorCommand()).addSubcommand("run", new RunCommand());
    defaults.load(args, cl);
    cl.setDefaultValueProvider(defaults);
    CommandSpec run = cl.parseArgs(args).subcommand().commandSpec();
    SettingsCheck.checkConfigKeys(run);
    return new QuickRun.Parsed(new SupervisorOptions(FlagSpecs.values(run)).toSettings(run),
        SettingsCheck.environmentWarnings(run));
  }

  private static void assertSameAsPicocli(Map<String, String> env, String... args) {
    Optional<QuickRun.Parsed> quick = QuickRun.parse(args, env);
    assertThat(quick).as("quick parse of %s with %s", List.of(args), env).isPresent();
    QuickRun.Parsed picocli = viaPicocli(env, args);
    assertThat(quick.get().settings()).as("settings of %s with %s", List.of(args), env).isEqualTo(picocli.settings());
    assertThat(quick.get().warnings()).as("warnings of %s with %s", List.of(args), env).isEqualTo(picocli.warnings());
  }

  @Test
  void defaultsAreTheSame() {
    assertSameAsPicocli(Map.of(), "run");
  }

  @Test
  void everyFlagGivenIsReadTheSame() throws IOException {
    Path key = Files.writeString(dir.resolve("key"), "k3y\n");
    Path password = Files.writeString(dir.resolve("password"), "pw\n");
    Path addon = Files.createDirectories(dir.resolve("addon"));
    String[] args = {"run", "--base", "/srv/anki", "--profile", "alice", "--state-dir", "/srv/state", "--lang", "de_DE",
        "--anki-command", "python3 -c 'import aqt; aqt.run()'", "--addon-dir-name", "AnkiConnect",
        "--addon-source", addon.toString(), "--bind", "127.0.0.1", "--tailscale-interface", "ts1", "--ipv6",
        "--allow-wildcard-bind", "--connect-port", "18765", "--api-key-file", key.toString(),
        "--cors-origin", "http://a", "--cors-origin", "http://b,http://c", "--config-api-enable",
        "--config-api-prefix", "bench.", "--config-api-prefix=x.,y.", "--config-api-max-bytes", "1024",
        "--status-file", "/srv/s.json", "--metrics-file", "/srv/m.prom", "--start-timeout", "90s",
        "--stop-timeout=2m", "--network-timeout", "5s", "--liveness-interval", "500ms", "--liveness-misses", "7",
        "--restart-initial-delay", "PT2S", "--restart-max-delay", "1h", "--restart-reset-after", "1d",
        "--max-restarts", "9", "--restart-window", "90", "--sync-url", "http://127.0.0.1:27701",
        "--sync-user", "bob", "--sync-password-file", password.toString(), "--sync-interval", "0",
        "--no-sync-on-start"};
    assertSameAsPicocli(Map.of(), args);
  }

  @Test
  void aCommandRepeatedWordByWordAndSwitchesBothWays() {
    assertSameAsPicocli(Map.of(), "run", "--anki-command", "python3", "--anki-command", "x y", "--sync-on-start",
        "--lang=", "--sync-user=");
    assertSameAsPicocli(Map.of("ANKI_SUPERVISOR_SYNC_ON_START", "false"), "run", "--sync-on-start");
    assertSameAsPicocli(Map.of("ANKI_SUPERVISOR_SYNC_ON_START", "TRUE"), "run", "--no-sync-on-start");
  }

  @Test
  void environmentAndFileAreReadTheSame() throws IOException {
    Path file = Files.writeString(dir.resolve("run.properties"),
        "profile=from-file\nlang=de_DE\nliveness-misses=7\nstop-timeout=5m\ncors-origin=http://f1,http://f2\n"
            + "ipv6=true\nsync-on-start=false\nanki-command=/opt/anki/bin/anki --safe\n");
    Map<String, String> env = new HashMap<>(Map.of("ANKI_SUPERVISOR_LANG", "fr_FR", "ANKI_SUPERVISOR_LIVENESS_MISSES", "9",
        "ANKI_SUPERVISOR_CONFIG_API_PREFIX", "a.,b.", "ANKI_SUPERVISOR_ALLOW_WILDCARD_BIND", "True",
        "ANKI_SUPERVISOR_SYNC_INTERVAL", "10m", "ANKI_SUPERVISOR_BIND", "127.0.0.1"));
    assertSameAsPicocli(env, "run", "--config", file.toString(), "--liveness-misses", "4");
    env.put("ANKI_SUPERVISOR_CONFIG", file.toString());
    assertSameAsPicocli(env, "run");
    assertSameAsPicocli(env, "run", "--config=" + file);
  }

  @Test
  void aSwitchGivenIsTheOppositeOfItsDefaultAsInPicocli() {
    // picocli's rule: a switch given flips the default, even one from the environment
    assertSameAsPicocli(Map.of("ANKI_SUPERVISOR_IPV6", "true"), "run", "--ipv6");
    assertSameAsPicocli(Map.of("ANKI_SUPERVISOR_IPV6", "false"), "run", "--ipv6");
  }

  @Test
  void warningsAreTheSame() {
    Map<String, String> env = Map.of("ANKI_SUPERVISOR_LIVENES_MISSES", "3", "ANKI_SUPERVISOR_PROFILE", "x",
        "ANKI_SUPERVISOR_SYNC_ON_START", "true", "ANKI_SUPERVISOR_LOG_LEVEL", "DEBUG", "ANKI_SUPERVISOR_BOGUS", "1");
    assertSameAsPicocli(env, "run", "--profile", "y", "--no-sync-on-start");
    assertThat(QuickRun.parse(new String[] {"run", "--profile", "y", "--no-sync-on-start"}, env).orElseThrow().warnings())
        .hasSize(4)
        .anySatisfy(w -> assertThat(w).contains("ANKI_SUPERVISOR_LIVENES_MISSES").contains("did you mean"))
        .anySatisfy(w -> assertThat(w).contains("ANKI_SUPERVISOR_PROFILE is ignored"));
  }

  @Test
  void leavesToPicocliWhatNeedsItsRulesOrMessages() throws IOException {
    Path unknownKey = Files.writeString(dir.resolve("bad.properties"), "profil=x\n");
    List<String[]> argLists = new ArrayList<>(List.of(
        new String[] {"status"},
        new String[] {"run", "--help"},
        new String[] {"run", "-h"},
        new String[] {"run", "--version"},
        new String[] {"run", "--bogus"},
        new String[] {"run", "extra"},
        new String[] {"run", "--"},
        new String[] {"run", "--profile", "a", "--profile", "b"},
        new String[] {"run", "--sync-on-start", "--no-sync-on-start"},
        new String[] {"run", "--ipv6=true"},
        new String[] {"run", "--profile"},
        new String[] {"run", "--profile", "--lang"},
        new String[] {"run", "--profile", "@args.txt"},
        new String[] {"run", "--start-timeout", "5x"},
        new String[] {"run", "--connect-port", "99999"},
        new String[] {"run", "--connect-port", "abc"},
        new String[] {"run", "--bind", "0.0.0.0"},
        new String[] {"run", "--sync-url", "ftp://x"},
        new String[] {"run", "--config-api-prefix", ""},
        new String[] {"run", "--cors-origin", "\"a,b\""},
        new String[] {"run", "--api-key-file", dir.resolve("missing").toString()},
        new String[] {"run", "--config", dir.resolve("missing.properties").toString()},
        new String[] {"run", "--config", unknownKey.toString()}));
    for (String[] args : argLists) {
      assertThat(QuickRun.parse(args, Map.of())).as("%s", List.of(args)).isEmpty();
    }
    for (Map<String, String> env : List.of(Map.of("ANKI_SUPERVISOR_BASE", "${env:HOME}/anki"),
        Map.of("ANKI_SUPERVISOR_METRICS_FILE", "_NULL_"), Map.of("ANKI_SUPERVISOR_IPV6", "yes"),
        Map.of("ANKI_SUPERVISOR_IPV6", ""), Map.of("ANKI_SUPERVISOR_STOP_TIMEOUT", "-1s"))) {
      assertThat(QuickRun.parse(new String[] {"run"}, env)).as("%s", env).isEmpty();
    }
  }
}
