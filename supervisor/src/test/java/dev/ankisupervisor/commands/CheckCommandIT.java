package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ankisupervisor.statusfile.Documents;
import dev.ankisupervisor.statusfile.StatusJson;
import dev.ankisupervisor.testing.AddonDir;
import dev.ankisupervisor.testing.FreePort;
import dev.ankisupervisor.testing.Prefs;
import dev.ankisupervisor.testing.StandInAnkiProcess;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code anki-supervisor check} against a real stand-in Anki process (A2-A4, P1, P2): passes on a
 * healthy patched add-on and fails the right step for each broken deployment.
 */
class CheckCommandIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String CONFIG_API = "{\"enable\": true, \"allowedKeyPrefixes\": [\"app.\", \"prompts.\"], \"maxValueBytes\": 1024}";

  @TempDir Path base;
  @TempDir Path work;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private StandInAnkiProcess anki;
  private int port;

  @AfterEach
  void killStandIn() {
    if (anki != null) {
      anki.close();
    }
  }

  /** Starts a stand-in with one open profile, the given add-on user config, patches and knobs. */
  private void startStandIn(Prefs prefs, String userConfig, String patches, String... knobs) throws Exception {
    port = FreePort.find();
    prefs.write(base);
    AddonDir.write(base, port);
    AddonDir.writeMetaConfig(base, userConfig);
    StandInAnkiProcess.Builder b = StandInAnkiProcess.builder(base).port(port).env("ANKI_STANDIN_PATCHES", patches);
    for (int i = 0; i + 1 < knobs.length; i += 2) {
      b.env(knobs[i], knobs[i + 1]);
    }
    anki = b.start();
    anki.waitForApi(WAIT);
  }

  private void startHealthy(String patches, String... knobs) throws Exception {
    startStandIn(Prefs.seed("server"), "{\"configApi\": " + CONFIG_API + "}", patches, knobs);
    anki.waitForOutput("ready: profile server open", WAIT);
  }

  private Path freshStatusFile() throws Exception {
    // a status file as the supervisor writes it, synced just now
    return Files.write(work.resolve("sync-status.json"), StatusJson.toBytes(Documents.ready(Instant.now())));
  }

  private int check(String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("check", "--url", "http://127.0.0.1:" + port + "/",
        "--status-file", freshStatusFile().toString(), "--timeout", "30s"));
    args.addAll(List.of(extra));
    CommandLine cl = AnkiSupervisorCommand.newCommandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args.toArray(String[]::new));
  }

  private String line(String stepAndName) {
    return out.toString().lines().filter(l -> l.matches("(PASS|FAIL|SKIP) " + Pattern.quote(stepAndName) + ":.*"))
        .findFirst().orElseThrow(() -> new AssertionError("no line for " + stepAndName + " in:\n" + out + err));
  }

  @Test
  void healthyPatchedStandInPassesEveryStepAndLeavesTheTestKeyNull() throws Exception {
    startHealthy("config-actions,headless-sync");
    // the prefixes and the cap come from the add-on folder, merged as Anki does (A1)
    int code = check("--addon-dir", AddonDir.folder(base).toString());
    assertThat(code).as(out.toString() + err).isZero();
    assertThat(out.toString().lines()).hasSize(8).allSatisfy(l -> assertThat(l).startsWith("PASS "));
    assertThat(line("e config-size-cap")).contains("config value is too large (1025 bytes > 1024)");
    // c reset its key to null afterwards (P1 has no delete)
    Matcher m = Pattern.compile("of (app\\.anki-supervisor-check-[0-9a-f-]+) round-trips").matcher(line("c config-round-trip"));
    assertThat(m.find()).isTrue();
    assertThat(anki.callAction("getConfig", "{\"key\": \"" + m.group(1) + "\"}")).isEqualTo("{\"result\":null,\"error\":null}");
  }

  @Test
  void unpatchedAddOnFailsConfigAndPatchStepsNamingThePatches() throws Exception {
    startHealthy("");
    int code = check("--config-prefix", "app.");
    assertThat(line("a version")).startsWith("PASS");
    assertThat(line("b config-absent")).startsWith("FAIL").contains("unsupported action", "the config API patch (anki-connect-config-actions.patch)");
    assertThat(line("c config-round-trip")).startsWith("SKIP");
    assertThat(line("f collection")).startsWith("PASS");
    assertThat(line("f patches")).startsWith("FAIL").contains("the config API patch", "the headless sync patch", "anki-connect-headless-sync.patch");
    assertThat(code).isEqualTo(2);
  }

  @Test
  void onlyTheSyncPatchFailsThePatchStepForP1Alone() throws Exception {
    startHealthy("headless-sync");
    check("--config-prefix", "app.");
    assertThat(line("f patches")).startsWith("FAIL").contains("the config API patch").doesNotContain("headless sync patch");
  }

  @Test
  void apiKeyMismatchFailsStepAWithoutPrintingAnyKey() throws Exception {
    startStandIn(Prefs.seed("server"), "{\"apiKey\": \"right-key-123\", \"configApi\": " + CONFIG_API + "}",
        "config-actions,headless-sync");
    Path keyFile = Files.writeString(work.resolve("api-key"), "wrong-key-456\n");
    int code = check("--api-key-file", keyFile.toString(), "--config-prefix", "app.");
    assertThat(line("a version")).startsWith("FAIL").contains("valid api key must be provided", "--api-key-file");
    assertThat(line("f collection")).startsWith("SKIP");
    assertThat(line("g status-file")).startsWith("PASS");
    assertThat(code).isEqualTo(1);
    assertThat(out.toString() + err).doesNotContain("right-key-123", "wrong-key-456");

    // the right key passes
    out.getBuffer().setLength(0);
    Files.writeString(keyFile, "right-key-123\n");
    anki.waitForOutput("ready: profile server open", WAIT);
    assertThat(check("--api-key-file", keyFile.toString(), "--config-prefix", "app.")).as(out.toString()).isZero();
  }

  @Test
  void standInWithoutACollectionFailsTheCollectionStep() throws Exception {
    // two profiles and none named: the profile chooser, no collection open (C3)
    startStandIn(Prefs.empty().profile("one").profile("two"), "{\"configApi\": " + CONFIG_API + "}",
        "config-actions,headless-sync");
    int code = check("--config-prefix", "app.");
    assertThat(line("a version")).startsWith("PASS");
    assertThat(line("b config-absent")).startsWith("FAIL").contains("collection is not available");
    assertThat(line("f collection")).startsWith("FAIL").contains("collection is not available", "profile chooser");
    assertThat(line("f patches")).startsWith("PASS");
    assertThat(code).isEqualTo(2);
  }

  @Test
  void acceptedKeyOutsideThePrefixesFailsThePrefixStep() throws Exception {
    startHealthy("config-actions,headless-sync", "ANKI_STANDIN_BREAK_CONFIG_PREFIX_RULE", "1");
    int code = check("--config-prefix", "app.", "--config-prefix", "prompts.", "--config-max-bytes", "1024");
    String d = line("d config-prefix-rule");
    assertThat(d).startsWith("FAIL").contains("setConfig accepted", "outside the prefixes", "key reset to null");
    assertThat(code).as(out.toString()).isEqualTo(1);
    Matcher m = Pattern.compile("accepted (anki-supervisor-check-outside-[0-9a-f-]+)").matcher(d);
    assertThat(m.find()).isTrue();
    // the accepted key was reset to null (the broken rule lets getConfig read it)
    assertThat(anki.callAction("getConfig", "{\"key\": \"" + m.group(1) + "\"}")).isEqualTo("{\"result\":null,\"error\":null}");
  }

  @Test
  void disabledConfigApiFailsStepBNamingTheSetting() throws Exception {
    startStandIn(Prefs.seed("server"), "{\"configApi\": {\"enable\": false, \"allowedKeyPrefixes\": [\"app.\"]}}",
        "config-actions,headless-sync");
    anki.waitForOutput("ready: profile server open", WAIT);
    int code = check("--config-prefix", "app.");
    assertThat(line("b config-absent")).startsWith("FAIL").contains("config api is disabled", "configApi.enable");
    assertThat(code).isEqualTo(1);
  }

  @Test
  void capSmallerThanTheAddOnsFailsTheSizeStep() throws Exception {
    startHealthy("config-actions,headless-sync");
    // the add-on allows 1024 bytes; a check told 512 sends 513 bytes, which the add-on accepts
    int code = check("--config-prefix", "app.", "--config-max-bytes", "512");
    assertThat(line("e config-size-cap")).startsWith("FAIL").contains("accepted a value of 513 bytes", "--config-max-bytes");
    assertThat(code).isEqualTo(1);
  }

  @Test
  void prefixNotInTheAllowlistFailsStepB() throws Exception {
    startHealthy("config-actions,headless-sync");
    int code = check("--config-prefix", "other.");
    assertThat(line("b config-absent")).startsWith("FAIL").contains("config key is not allowed", "\"other.\"");
    assertThat(code).isEqualTo(1);
  }
}
