package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ankisupervisor.statusfile.Documents;
import dev.ankisupervisor.statusfile.StatusJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code check} through the real command line, against a port where nothing listens. */
class CheckCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  @TempDir Path dir;
  private String deadUrl;

  @BeforeEach
  void findAClosedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      deadUrl = "http://127.0.0.1:" + s.getLocalPort() + "/";
    }
  }

  private int run(String... args) {
    CommandLine cl = AnkiSupervisorCommand.newCommandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    List<String> all = new ArrayList<>(List.of("check"));
    all.addAll(List.of(args));
    return cl.execute(all.toArray(String[]::new));
  }

  @Test
  void nothingListeningFailsStepAAndSkipsBToF() throws IOException {
    Path status = freshStatusFile();
    int code = run("--url", deadUrl, "--status-file", status.toString(), "--config-prefix", "app.", "--timeout", "5s");
    assertThat(code).isEqualTo(1);
    List<String> lines = out.toString().lines().toList();
    assertThat(lines).hasSize(8);
    assertThat(lines.get(0)).startsWith("FAIL a version: ").contains("nothing answers at " + deadUrl, "--url");
    assertThat(lines.subList(1, 7)).allSatisfy(l -> assertThat(l).startsWith("SKIP ").contains("did not answer step a"));
    assertThat(lines.get(7)).startsWith("PASS g status-file: ");
  }

  @Test
  void exitCodeCountsEveryFailedStep() {
    int code = run("--url", deadUrl, "--status-file", dir.resolve("missing.json").toString());
    assertThat(code).isEqualTo(2);
    assertThat(out.toString()).contains("FAIL a version", "FAIL g status-file: status file " + dir.resolve("missing.json"));
  }

  @Test
  void jsonListsEveryStepForScripts() throws IOException {
    int code = run("--url", deadUrl, "--status-file", freshStatusFile().toString(), "--json");
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(code).isEqualTo(1);
    assertThat(json.get("ok").asBoolean()).isFalse();
    assertThat(json.get("failures").asInt()).isEqualTo(1);
    assertThat(json.get("steps")).hasSize(8);
    assertThat(json.get("steps").get(0).get("step").asText()).isEqualTo("a");
    assertThat(json.get("steps").get(0).get("name").asText()).isEqualTo("version");
    assertThat(json.get("steps").get(0).get("outcome").asText()).isEqualTo("FAIL");
    assertThat(json.get("steps").get(7).get("outcome").asText()).isEqualTo("PASS");
  }

  @Test
  void apiKeyIsNeverPrinted() throws IOException {
    Path key = Files.writeString(dir.resolve("key"), "s3cret-key-value\n");
    run("--url", deadUrl, "--api-key-file", key.toString(), "--status-file", dir.resolve("none").toString());
    run("--url", deadUrl, "--api-key-file", key.toString(), "--status-file", dir.resolve("none").toString(), "--json");
    assertThat(out.toString() + err.toString()).isNotEmpty().doesNotContain("s3cret-key-value");
  }

  @Test
  void unreadableApiKeyFileIsAConfigError78() {
    int code = run("--url", deadUrl, "--api-key-file", dir.resolve("missing-key").toString());
    assertThat(code).isEqualTo(78);
    assertThat(err.toString()).contains("check: cannot read --api-key-file", "first line");
  }

  @Test
  void badFlagsAreUsageErrors64() {
    assertThat(run("--timeout", "soon")).isEqualTo(64);
    assertThat(err.toString()).contains("'soon' is not a duration");
    assertThat(run("--url", "ftp://x/")).isEqualTo(64);
    assertThat(err.toString()).contains("must start with http://");
    assertThat(run("--url", deadUrl, "--config-max-bytes", "0")).isEqualTo(64);
    assertThat(err.toString()).contains("--config-max-bytes");
  }

  @Test
  void brokenAddonDirIsAConfigError78() throws IOException {
    Path addon = Files.createDirectories(dir.resolve("addon"));
    Files.writeString(addon.resolve("meta.json"), "{\"config\": ");
    assertThat(run("--url", deadUrl, "--addon-dir", addon.toString())).isEqualTo(78);
    assertThat(err.toString()).contains("check: cannot read --addon-dir", "meta.json is not valid JSON");
  }

  private Path freshStatusFile() throws IOException {
    // a status file as the supervisor writes it, synced just now
    return Files.write(dir.resolve("sync-status.json"), StatusJson.toBytes(Documents.ready(Instant.now())));
  }
}
