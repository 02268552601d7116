package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ankisupervisor.model.SupervisorState;
import dev.ankisupervisor.model.SyncOutcome;
import dev.ankisupervisor.model.SyncState;
import dev.ankisupervisor.model.SyncTrigger;
import dev.ankisupervisor.os.ProcessIdentity;
import dev.ankisupervisor.status.StatusWriter;
import dev.ankisupervisor.statusfile.AnkiView;
import dev.ankisupervisor.statusfile.ConnectView;
import dev.ankisupervisor.statusfile.StatusDocument;
import dev.ankisupervisor.statusfile.SupervisorView;
import dev.ankisupervisor.statusfile.SyncView;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and careless input, each through the shaded jar as a real process (a small heap, so an
 * unbounded read would die of OutOfMemoryError), asserting the exit code, the one-line message and
 * that nothing reached the disk.
 */
class HostileInputIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** One finished run of the jar. */
  record Result(int code, String out, String err) {
    String all() {
      return out + err;
    }
  }

  private Result jar(Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(SupervisorProcess.JAVA, "-XX:+UseSerialGC", "-Xmx64m",
        "-XX:TieredStopAtLevel=1", "-jar", SupervisorProcess.JAR));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out").toFile())
        .redirectError(dir.resolve("err").toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("ANKI_SUPERVISOR_") || k.equals("NOTIFY_SOCKET"));
    pb.environment().put("ANKI_SUPERVISOR_LOG_FORMAT", "plain");
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("still running after 60 s: " + cmd);
    }
    return new Result(p.exitValue(), Files.readString(dir.resolve("out")), Files.readString(dir.resolve("err")));
  }

  private Result jar(String... args) throws Exception {
    return jar(Map.of(), args);
  }

  /** prepare's flags against an installed add-on in {@code base}, loopback, no waiting. */
  private String[] prepare(Path base, String... more) throws IOException {
    SupervisorProcess.installAnkiConnect(base, 8765);
    List<String> args = new ArrayList<>(List.of("prepare", "--base", base.toString(), "--bind", "127.0.0.1",
        "--state-dir", dir.resolve("state").toString(), "--network-timeout", "1s"));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  // ---- an empty config-API prefix, however it arrives ----

  @Test
  void anEmptyOrBlankConfigApiPrefixIsRefusedFromFlagEnvironmentAndFile() throws Exception {
    Path base = dir.resolve("anki");
    Result flag = jar(prepare(base, "--config-api-enable", "--config-api-prefix", ""));
    assertThat(flag.code()).as(flag.all()).isEqualTo(64);
    assertThat(flag.err()).contains("--config-api-prefix", "would allow every collection config key").hasLineCount(1);

    Result blank = jar(prepare(base, "--config-api-enable", "--config-api-prefix", "ok.,  "));
    assertThat(blank.code()).as(blank.all()).isEqualTo(64);

    Result env = jar(Map.of("ANKI_SUPERVISOR_CONFIG_API_PREFIX", ""), prepare(base, "--config-api-enable"));
    assertThat(env.code()).as(env.all()).isEqualTo(78);
    assertThat(env.err()).contains("ANKI_SUPERVISOR_CONFIG_API_PREFIX");

    Path file = Files.writeString(dir.resolve("c.properties"), "config-api-enable=true\nconfig-api-prefix=\n");
    Result fromFile = jar(prepare(base, "--config", file.toString()));
    assertThat(fromFile.code()).as(fromFile.all()).isEqualTo(78);
    assertThat(fromFile.err()).contains("config file " + file);

    assertThat(base.resolve("addons21/2055492159/meta.json")).as("nothing was written").doesNotExist();
    assertThat(base.resolve("prefs21.db")).doesNotExist();
  }

  // ---- endless and huge files ----

  @Test
  void statusAndCheckReadEndlessAndHugeFilesWithACap() throws Exception {
    Path huge = dir.resolve("huge.json");
    try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
      f.setLength(25L << 20);
    }
    for (String file : List.of("/dev/zero", huge.toString())) {
      Result status = jar("status", "--status-file", file);
      assertThat(status.code()).as(status.all()).isEqualTo(3);
      assertThat(status.out()).startsWith("UNKNOWN: ");
      assertThat(status.all()).doesNotContain("OutOfMemoryError", "Exception");

      Result check = jar("check", "--url", "http://127.0.0.1:1/", "--status-file", file);
      assertThat(check.code()).as(check.all()).isBetween(1, 8);
      assertThat(check.out()).containsPattern("FAIL g .*(not a regular file|larger than)");
      assertThat(check.all()).doesNotContain("OutOfMemoryError", "Exception");
    }
  }

  // ---- durations ----

  @Test
  void overlongDurationsAreRefusedAtParseTime() throws Exception {
    Result start = jar("run", "--start-timeout", "99999999999d");
    assertThat(start.code()).as(start.all()).isEqualTo(64);
    assertThat(start.err()).contains("--start-timeout", "outside 0 to 365d").hasLineCount(1);
    Result sync = jar(Map.of("ANKI_SUPERVISOR_SYNC_INTERVAL", "106751991167300d"), "run");
    assertThat(sync.code()).as(sync.all()).isEqualTo(78);
    assertThat(sync.err()).contains("ANKI_SUPERVISOR_SYNC_INTERVAL", "outside 0 to 365d");
    Result digits = jar("run", "--stop-timeout", "99999999999999999999999s");
    assertThat(digits.code()).as(digits.all()).isEqualTo(64);
  }

  @Test
  void statusAndCheckSurviveAnyNumberInTheStatusFile() throws Exception {
    Path file = dir.resolve("sync-status.json");
    new StatusWriter(file).write(new StatusDocument(1, Instant.now(),
        new SupervisorView(ProcessIdentity.current(), "0.1.0", Instant.now(), SupervisorState.READY),
        new AnkiView(null, "server", null, 0, null), new ConnectView(null, null, null, null, null),
        SyncView.initial(Duration.ofMinutes(5))));
    ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
    ObjectNode sync = (ObjectNode) root.get("sync");
    sync.put("intervalSeconds", Long.MAX_VALUE);
    sync.put("lastDurationMs", Long.MAX_VALUE);
    sync.put("lastSuccessAt", "+999999999-12-31T23:59:59Z");
    Files.writeString(file, JSON.writeValueAsString(root));
    Result status = jar("status", "--status-file", file.toString());
    assertThat(status.code()).as(status.all()).isBetween(0, 3);
    assertThat(status.all()).doesNotContain("Exception");
    Result check = jar("check", "--url", "http://127.0.0.1:1/", "--status-file", file.toString());
    assertThat(check.code()).as(check.all()).isBetween(0, 8);
    assertThat(check.all()).doesNotContain("Exception");

    sync.put("intervalSeconds", 0.5e300);
    ((ObjectNode) root.get("supervisor")).put("pid", -7);
    Files.writeString(file, JSON.writeValueAsString(root));
    Result odd = jar("status", "--status-file", file.toString());
    assertThat(odd.code()).as(odd.all()).isBetween(0, 3);
    assertThat(odd.all()).doesNotContain("Exception");
  }

  // ---- an Anki command that cannot start ----

  @Test
  void anAnkiCommandThatCannotStartIsAConfigErrorAtTheFirstLaunch() throws Exception {
    Path notExecutable = Files.writeString(dir.resolve("anki.sh"), "#!/bin/sh\nexit 0\n");
    for (String command : List.of(dir.resolve("nonexistent").toString(), notExecutable.toString())) {
      Path runDir = Files.createDirectories(dir.resolve("run-" + command.hashCode()));
      try (SupervisorProcess run = new SupervisorProcess(runDir).set("--anki-command", command).start()) {
        assertThat(run.awaitExit()).as(run.log()).isEqualTo(78);
        assertThat(run.log()).contains(command).containsPattern("does not exist|is not executable");
        assertThat(run.count("-> starting")).as("one launch, no crash loop").isEqualTo(1);
        assertThat(run.count("-> backing_off")).isZero();
      }
    }
  }

  // ---- a disabled AnkiConnect ----

  @Test
  void aDisabledAnkiConnectIsRefusedBeforeLaunchAndDoctorSaysSo() throws Exception {
    try (SupervisorProcess run = new SupervisorProcess(dir)) {
      Path meta = run.base.resolve("addons21/2055492159/meta.json");
      Files.writeString(meta, "{\"disabled\": true, \"config\": {}}\n");
      Files.writeString(run.base.resolve("addons21/2055492159/__init__.py"), "");
      run.start();
      assertThat(run.awaitExit()).as(run.log()).isEqualTo(78);
      assertThat(run.log()).contains("AnkiConnect is disabled in " + meta, "\"disabled\": false");
      assertThat(run.count("launched Anki pid")).isZero();
      assertThat(Files.readString(meta)).as("the operator's choice is not overridden").contains("\"disabled\": true");

      Result doctor = jar("doctor", "--base", run.base.toString(), "--state-dir", run.stateDir.toString(),
          "--status-file", run.stateDir.resolve("sync-status.json").toString(), "--bind", "127.0.0.1",
          "--connect-port", Integer.toString(run.port), "--probe-timeout", "1s");
      assertThat(doctor.out()).contains("PROBLEM addon: AnkiConnect is disabled in " + meta);
    }
  }

  // ---- one rule for bad input, one line each ----

  @Test
  void badInputGetsOneLineAndTheDocumentedCode() throws Exception {
    Path aFile = Files.writeString(dir.resolve("a-file"), "x");
    Result checkAddon = jar("check", "--url", "http://127.0.0.1:1/", "--addon-dir", "/nonexistent");
    assertThat(checkAddon.code()).as(checkAddon.all()).isEqualTo(78);
    assertThat(checkAddon.err()).contains("/nonexistent is not a folder").hasLineCount(1);

    Result demo = jar("demo", "--dir", aFile.toString());
    assertThat(demo.code()).as(demo.all()).isEqualTo(64);
    assertThat(demo.err()).contains("is a file, not a folder").hasLineCount(1);
    assertThat(demo.all()).doesNotContain("Exception", "\tat ");

    Result status = jar("status", "--config", "garbage");
    assertThat(status.code()).as("Nagios UNKNOWN, not 78").isEqualTo(3);

    // A value a settings record refuses follows the same rule as a bad flag value: 64 flag, 78 file.
    Result portFlag = jar("run", "--connect-port", "0");
    assertThat(portFlag.code()).as(portFlag.all()).isEqualTo(64);
    Path file = Files.writeString(dir.resolve("c.properties"), "connect-port=0\n");
    Result portFile = jar("run", "--config", file.toString());
    assertThat(portFile.code()).as(portFile.all()).isEqualTo(78);
    assertThat(portFile.err()).contains("--connect-port from config file " + file);
  }

  @Test
  void roughEdges() throws Exception {
    Result none = jar();
    assertThat(none.code()).isEqualTo(64);
    assertThat(none.err()).contains("Usage:", "a command is missing");

    Result typo = jar("stauts");
    assertThat(typo.code()).isEqualTo(64);
    assertThat(typo.err()).contains("did you mean status?");

    Result help = jar("help", "nosuch");
    assertThat(help.code()).isEqualTo(64);
    assertThat(help.err()).contains("'nosuch'").doesNotContain(".;");

    byte[] random = new byte[300];
    new java.util.Random(7).nextBytes(random);
    random[10] = (byte) 0xC3; // an invalid UTF-8 start without its continuation byte
    random[11] = 0x28;
    Path junk = Files.write(dir.resolve("junk"), random);
    Result key = jar("run", "--api-key-file", junk.toString());
    assertThat(key.code()).isEqualTo(78);
    assertThat(key.err()).contains("is not a text file").doesNotContain("Input length");
    Result config = jar("run", "--config", junk.toString());
    assertThat(config.code()).isEqualTo(78);
    assertThat(config.err()).contains("is not a text file").doesNotContain("Input length");

    Path base = dir.resolve("anki");
    for (String url : List.of("not a url", "ftp://h/", "http://:27701/", "http://h:99999/", "http://u:p@h/")) {
      Result bad = jar(prepare(base, "--sync-url", url, "--sync-user", "u", "--sync-password-file", junk.toString()));
      assertThat(bad.code()).as(url + ": " + bad.all()).isEqualTo(64);
      assertThat(bad.err()).as(url).contains("--sync-url").hasLineCount(1);
    }
    assertThat(base.resolve("prefs21.db")).as("no URL reached prefs21.db").doesNotExist();

    Result prepared = jar(prepare(base));
    assertThat(prepared.code()).as(prepared.all()).isZero();
    assertThat(prepared.out()).doesNotContain("PrepareReport[", "PrefsSeedReport[").contains("prefs21.db written");
  }

  @Test
  void statusNeutralisesControlCharactersInASyncError() throws Exception {
    Path file = dir.resolve("sync-status.json");
    Instant now = Instant.now();
    new StatusWriter(file).write(new StatusDocument(1, now,
        new SupervisorView(ProcessIdentity.current(), "0.1.0", now, SupervisorState.READY),
        new AnkiView(null, "server", null, 0, null), new ConnectView(null, null, null, null, null),
        new SyncView(SyncState.of(SyncOutcome.NETWORK_ERROR), SyncTrigger.INTERVAL, now, now, 5L, null, 1, now.plusSeconds(300),
            300, null,
            new SyncView.SyncError(SyncOutcome.NETWORK_ERROR, "boom \u001b[2J\u001b]0;pwned\u0007 \r\nFAKE: OK"))));
    Result status = jar("status", "--status-file", file.toString());
    assertThat(status.code()).isEqualTo(1);
    assertThat(status.out()).doesNotContain("\u001b", "\u0007", "\r").contains("\\x1b[2J")
        .doesNotContainPattern("(?m)^FAKE");
  }

  @Test
  void whatIsOursComesBackAfterTheStateFolderIsDeletedWhileRunning() throws Exception {
    try (SupervisorProcess run = new SupervisorProcess(dir).start()) {
      run.awaitReady(1);
      Path pidFile = run.stateDir.resolve("supervisor.pid");
      Path statusFile = run.stateDir.resolve("sync-status.json");
      String pidLine = Files.readString(pidFile);
      try (Stream<Path> all = Files.walk(run.stateDir)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(pidFile) && Files.exists(statusFile));
      assertThat(Files.readString(pidFile)).isEqualTo(pidLine);
      assertThat(run.process().isAlive()).isTrue();
    }
  }
}
