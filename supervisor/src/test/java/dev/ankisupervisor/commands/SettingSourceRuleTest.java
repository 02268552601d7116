package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * One rule for every command: a bad value given as a flag is 64 naming the flag; the same value from
 * its ANKI_SUPERVISOR_* variable is 78 naming the variable (docs/errors.md). And the shared options
 * are parsed by one rule: {@code doctor --bind X} and {@code run --bind X} accept and refuse the same.
 */
class SettingSourceRuleTest {
  @TempDir Path dir;

  private record Result(int code, String err) {}

  private static Result execute(Map<String, String> env, List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = AnkiSupervisorCommand.newCommandLine(env);
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return new Result(cl.execute(args.toArray(String[]::new)), err.toString());
  }

  /** A command line, the flag whose value is bad, and that value. */
  private record Case(List<String> command, String flag, String value) {
    List<String> asFlag() {
      List<String> args = new ArrayList<>(command);
      args.add(flag);
      args.add(value);
      return args;
    }

    Map<String, String> asEnvironment() {
      return Map.of(SettingsLookup.envName(flag), value);
    }
  }

  private List<Case> cases() throws Exception {
    Path source = Files.createDirectories(dir.resolve("sync-data"));
    Path status = dir.resolve("none.json");
    List<String> backup = List.of("backup", "--source", source.toString(), "--dest", dir.resolve("b").toString());
    List<String> doctor = List.of("doctor", "--base", dir.toString(), "--state-dir", dir.toString(),
        "--status-file", status.toString(), "--probe-timeout", "1s");
    List<String> check = List.of("check", "--status-file", status.toString());
    List<String> fullSync = List.of("full-sync", "--download", "--yes", "--status-file", status.toString(),
        "--timeout", "1s");
    List<String> config = List.of("config", "--bind", "127.0.0.1");
    return List.of(
        new Case(backup, "--keep-daily", "-1"),
        new Case(backup, "--keep-monthly", "-3"),
        new Case(backup, "--passes", "1"),
        new Case(backup, "--passes", "many"),
        new Case(check, "--config-max-bytes", "0"),
        new Case(check, "--url", "ftp://127.0.0.1:1/"),
        new Case(check, "--timeout", "0s"),
        new Case(fullSync, "--url", "127.0.0.1:8765"),
        new Case(doctor, "--bind", "my-host"),
        new Case(doctor, "--connect-port", "70000"),
        new Case(doctor, "--profile", "a/b"),
        new Case(config, "--connect-port", "0"),
        new Case(config, "--sync-interval", "soon"),
        new Case(List.of("config"), "--bind", "0.0.0.0"),
        new Case(List.of("sync-now", "--status-file", status.toString()), "--timeout", "5x"),
        new Case(List.of("run"), "--connect-port", "65536"),
        new Case(List.of("prepare"), "--bind", "host.example"));
  }

  @Test
  void aBadFlagIs64NamingTheFlagAndTheSameValueFromTheEnvironmentIs78NamingTheVariable() throws Exception {
    for (Case c : cases()) {
      Result asFlag = execute(Map.of(), c.asFlag());
      assertThat(asFlag.code()).as("%s as a flag: %s", c, asFlag.err()).isEqualTo(64);
      // The line names the setting (the flag, or its name as the rule words it: "profile 'a/b' ...").
      assertThat(asFlag.err()).as(c.toString()).contains(c.flag().substring(2)).doesNotContain("ANKI_SUPERVISOR_")
          .doesNotContain("\tat ");
      assertThat(asFlag.err().strip().lines()).as(c.toString()).hasSize(1);

      Result fromEnv = execute(c.asEnvironment(), c.command());
      assertThat(fromEnv.code()).as("%s from the environment: %s", c, fromEnv.err()).isEqualTo(78);
      assertThat(fromEnv.err()).as(c.toString()).contains(SettingsLookup.envName(c.flag())).doesNotContain("\tat ");
      assertThat(fromEnv.err().strip().lines()).as(c.toString()).hasSize(1);
    }
  }

  /** Values of --bind: the ones a rule must accept, and the ones it must refuse. */
  private static final List<String> BIND_VALUES = List.of("tailscale", "TAILSCALE", "Tailscale", " tailscale ",
      "127.0.0.1", "127.0.0.2", "100.64.0.1", "::1", "[::1]", "fd7a:115c:a1e0::1", "0.0.0.0", "::",
      "localhost", "my-host", "host.example", "999.1.1.1", "01.2.3.4", "1.2.3", "", "dead:beef", "tailscale0");

  @Test
  void doctorAndRunAcceptAndRefuseTheSameBindValues() throws Exception {
    List<String> refusedByRun = new ArrayList<>();
    List<String> refusedByDoctor = new ArrayList<>();
    for (String value : BIND_VALUES) {
      // run's parse rule, as the service runs it (config checks exactly what run checks, touching nothing).
      Result run = execute(Map.of(), List.of("config", "--bind", value));
      if (run.code() != 0) {
        assertThat(run.code()).as(value + ": " + run.err()).isEqualTo(64);
        refusedByRun.add(value);
      }
      Result doctor = execute(Map.of(), List.of("doctor", "--bind", value, "--connect-port", "1",
          "--base", dir.toString(), "--state-dir", dir.toString(), "--status-file", dir.resolve("s.json").toString(),
          "--tailscale-interface", "nosuchts0", "--probe-timeout", "1s"));
      if (doctor.code() == 64) {
        refusedByDoctor.add(value);
      } else {
        assertThat(doctor.code()).as(value + ": " + doctor.err()).isBetween(1, 20);
      }
    }
    assertThat(refusedByDoctor).isEqualTo(refusedByRun)
        .containsExactly("0.0.0.0", "::", "localhost", "my-host", "host.example", "999.1.1.1", "01.2.3.4", "1.2.3", "",
            "dead:beef", "tailscale0");
  }
}
