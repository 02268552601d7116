package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

class ConfigCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int execute(Map<String, String> env, String... args) {
    CommandLine cl = AnkiSupervisorCommand.newCommandLine(env);
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  /** The printed lines as name -> "value  # source". */
  private Map<String, String> lines() {
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : out.toString().split("\n")) {
      int sp = line.indexOf(' ');
      m.put(line.substring(0, sp), line.substring(sp + 1));
    }
    return m;
  }

  @Test
  void printsEveryFlagOfRunWithItsValueAndWhereItCameFrom() throws Exception {
    Path file = dir.resolve("supervisor.properties");
    Files.writeString(file, "lang=de_DE\nconnect-port=9000\nsync-interval=10m\n");
    int code = execute(Map.of("ANKI_SUPERVISOR_CONNECT_PORT", "8800", "ANKI_SUPERVISOR_CONFIG", file.toString()),
        "config", "--profile", "server", "--bind", "100.64.0.1", "--anki-command", "python3 -c 'import aqt'",
        "--config-api-prefix", "awesomeAnki.,other.");

    assertThat(code).as(err.toString()).isZero();
    Map<String, String> lines = lines();
    List<String> runFlags = AnkiSupervisorCommand.newCommandLine(Map.of()).getSubcommands().get("run").getCommandSpec()
        .options().stream().filter(o -> !o.usageHelp() && !o.versionHelp())
        .map(OptionSpec::longestName).map(n -> n.substring(2)).collect(Collectors.toList());
    assertThat(lines.keySet()).containsExactlyElementsOf(runFlags);
    assertThat(lines).containsEntry("profile", "server  # flag")
        .containsEntry("bind", "100.64.0.1  # flag")
        .containsEntry("anki-command", "python3 -c 'import aqt'  # flag")
        .containsEntry("config-api-prefix", "awesomeAnki.,other.  # flag")
        .containsEntry("connect-port", "8800  # environment ANKI_SUPERVISOR_CONNECT_PORT")
        .containsEntry("config", file + "  # environment ANKI_SUPERVISOR_CONFIG")
        .containsEntry("lang", "de_DE  # config file " + file)
        .containsEntry("sync-interval", "10m  # config file " + file)
        .containsEntry("stop-timeout", "1m  # default")
        .containsEntry("metrics-file", "(none)  # default");
  }

  @Test
  void secretsAreNamedNeverRead() throws Exception {
    Path key = dir.resolve("api-key");
    Files.writeString(key, "s3cret-key\n");
    int code = execute(Map.of(), "config", "--bind", "127.0.0.1", "--api-key-file", key.toString(),
        "--sync-user", "anki", "--sync-password-file", "/run/credentials/anki-connect.service/anki-sync-password");

    assertThat(code).as(err.toString()).isZero();
    assertThat(lines()).containsEntry("api-key-file", "<from " + key + ">  # flag")
        .containsEntry("sync-password-file", "<from /run/credentials/anki-connect.service/anki-sync-password>  # flag");
    assertThat(out.toString()).doesNotContain("s3cret");
  }

  @Test
  void touchesNeitherTheBaseFolderNorTheStateFiles() {
    Path base = dir.resolve("anki");
    int code = execute(Map.of(), "config", "--base", base.toString(), "--bind", "127.0.0.1",
        "--state-dir", dir.resolve("state").toString(), "--status-file", dir.resolve("state/s.json").toString(),
        "--metrics-file", dir.resolve("m.prom").toString());
    assertThat(code).as(err.toString()).isZero();
    assertThat(Arrays.asList(dir.toFile().list())).isEmpty();
  }

  @Test
  void aShadowedOrMisspelledVariableIsAWarningNamingItNeverItsValue() {
    int code = execute(Map.of("ANKI_SUPERVISOR_BIND", "127.0.0.3", "ANKI_SUPERVISOR_SYNC_INTERVALL", "1m",
        "ANKI_SUPERVISOR_LOG_LEVEL", "DEBUG", "ANKI_SUPERVISOR_CDS", "off"), "config", "--bind", "127.0.0.2");

    assertThat(code).as(err.toString()).isZero();
    assertThat(lines()).containsEntry("bind", "127.0.0.2  # flag");
    assertThat(err.toString().lines()).containsExactly(
        "config: warning: environment variable ANKI_SUPERVISOR_BIND is ignored: --bind on the command line wins;"
            + " remove one of the two",
        "config: warning: environment variable ANKI_SUPERVISOR_SYNC_INTERVALL names no setting of `config`, so it is"
            + " ignored; did you mean ANKI_SUPERVISOR_SYNC_INTERVAL? (every variable: docs/configuration.md)");
    assertThat(err.toString()).doesNotContain("127.0.0.3").doesNotContain("1m");
  }

  @Test
  void aBadSettingIs64AsAFlagAnd78FromTheEnvironmentOrTheFileInOneLine() throws Exception {
    Path file = dir.resolve("bad.properties");
    Files.writeString(file, "stop-timeout=soon\n");
    record Case(Map<String, String> env, List<String> args, int code, String names) {}
    List<Case> bad = List.of(
        new Case(Map.of(), List.of("config", "--stop-timeout", "5x"), 64, "--stop-timeout"),
        new Case(Map.of(), List.of("config", "--sync-user", "anki"), 64, "--sync-password-file"),
        new Case(Map.of(), List.of("config", "--bind", "anywhere"), 64, "--bind"),
        new Case(Map.of("ANKI_SUPERVISOR_STOP_TIMEOUT", "5x"), List.of("config"), 78, "ANKI_SUPERVISOR_STOP_TIMEOUT"),
        new Case(Map.of("ANKI_SUPERVISOR_SYNC_USER", "anki"), List.of("config"), 78, "ANKI_SUPERVISOR_SYNC_USER"),
        new Case(Map.of("ANKI_SUPERVISOR_BIND", "anywhere"), List.of("config"), 78, "ANKI_SUPERVISOR_BIND"),
        new Case(Map.of(), List.of("config", "--config", file.toString()), 78, file.toString()),
        new Case(Map.of(), List.of("config", "--addon-source", dir.resolve("nope").toString()), 78, "nope"));
    for (Case c : bad) {
      out.getBuffer().setLength(0);
      err.getBuffer().setLength(0);
      int code = execute(c.env(), c.args().toArray(String[]::new));
      assertThat(code).as(c + ": " + err).isEqualTo(c.code());
      assertThat(err.toString().strip()).as(c.toString()).startsWith("config: ").contains(c.names())
          .doesNotContain("\n").doesNotContain("\tat ");
      assertThat(out.toString()).isEmpty();
    }
  }
}
