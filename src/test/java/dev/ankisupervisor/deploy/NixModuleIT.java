package dev.ankisupervisor.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Evaluates {@code nix/module.nix} with nixpkgs' real module system ({@code lib.evalModules}, from the
 * nixpkgs {@code lib} folder named by {@code NIXPKGS_LIB}) and stub declarations for the NixOS options
 * it sets ({@code src/test/resources/nix/eval-module.nix}), then runs {@code anki-supervisor config}
 * with the generated ExecStart arguments and Environment: the unit the module writes must be one
 * {@code run} accepts. Skipped without NIXPKGS_LIB or nix-instantiate (CI has no nixpkgs).
 */
class NixModuleIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JAR = System.getProperty("anki.supervisor.jar", "target/anki-supervisor.jar");
  private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
  private static final Path HARNESS = Path.of("src/test/resources/nix/eval-module.nix").toAbsolutePath();
  /** [Service] keys of systemd/anki-connect.service that depend on the host, not on the unit's design. */
  private static final Set<String> HOST_KEYS =
      Set.of("ExecStart", "User", "Group", "EnvironmentFile", "Environment", "LoadCredential");

  @TempDir Path dir;
  private Path lib;

  @BeforeEach
  void needsNixpkgsLib() throws Exception {
    String libDir = System.getenv("NIXPKGS_LIB");
    Assumptions.assumeTrue(libDir != null && !libDir.isBlank(),
        "NIXPKGS_LIB is not set: point it at a nixpkgs `lib` folder (e.g. a nix-community/nixpkgs.lib checkout's lib/)"
            + " to evaluate nix/module.nix");
    lib = Path.of(libDir).toAbsolutePath();
    Assumptions.assumeTrue(Files.isRegularFile(lib.resolve("default.nix")), "NIXPKGS_LIB=" + lib + " has no default.nix");
    Assumptions.assumeTrue(new ProcessBuilder("sh", "-c", "command -v nix-instantiate").start().waitFor() == 0,
        "nix-instantiate is not installed (Debian: apt-get install nix-bin)");
    // The stub AnkiConnect package: --addon-source must be an add-on folder (config checks it).
    Path addon = Files.createDirectories(dir.resolve("stub/anki-connect/share/anki/addons/anki-connect"));
    Files.writeString(addon.resolve("__init__.py"), "# stub\n");
  }

  private record Evaluation(int code, String output, JsonNode json) {}

  private Evaluation evaluate(String scenario) throws Exception {
    Path file = dir.resolve("scenario-" + Integer.toHexString(scenario.hashCode()) + ".nix");
    Files.writeString(file, scenario);
    Process p = new ProcessBuilder("nix-instantiate", "--eval", "--strict", "--json", HARNESS.toString(),
        "--arg", "lib", "import " + lib, "--arg", "module", Path.of("nix/module.nix").toAbsolutePath().toString(),
        "--arg", "scenario", file.toString(), "--argstr", "stubOut", dir.resolve("stub").toString())
        .redirectError(dir.resolve("nix.err").toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String err = Files.readString(dir.resolve("nix.err"));
    return new Evaluation(p.exitValue(), out + err, p.exitValue() == 0 ? JSON.readTree(out) : null);
  }

  private JsonNode service(String scenario) throws Exception {
    Evaluation e = evaluate(scenario);
    assertThat(e.code()).as(e.output()).isZero();
    assertThat(e.json().get("failedAssertions")).as(e.output()).isEmpty();
    return e.json().get("service");
  }

  /** Runs `config` with the unit's ExecStart arguments (run -> config) and Environment; returns its output. */
  private String configOf(JsonNode service) throws Exception {
    List<String> words = ExecStartWords.split(service.at("/serviceConfig/ExecStart").asText(),
        dir.resolve("credentials").toString());
    assertThat(words.get(0)).endsWith("/bin/anki-supervisor");
    assertThat(words.get(1)).isEqualTo("run");
    List<String> cmd = new ArrayList<>(List.of(JAVA, "-jar", JAR, "config"));
    cmd.addAll(words.subList(2, words.size()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("ANKI_SUPERVISOR_"));
    service.path("environment").fields().forEachRemaining(f -> pb.environment().put(f.getKey(), f.getValue().asText()));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isZero();
    return out;
  }

  private static final String SEED = """
      {
        services.anki-supervisor = {
          enable = true;
          port = 8765;
          profile = "server";
          apiKeyFile = "/run/agenix/anki-connect-api-key";
          configApi = { enable = true; allowedKeyPrefixes = [ "awesomeAnki." ]; maxValueBytes = 65536; };
          sync = { enable = true; onStart = true; interval = "5m"; user = "anki"; passwordFile = "/run/agenix/anki-sync-password"; };
        };
        services.anki-sync-server = { enable = true; port = 27701; };
      }
      """;

  @Test
  void seedConfigurationGivesAUnitThatRunAccepts() throws Exception {
    JsonNode service = service(SEED);
    assertThat(service.at("/serviceConfig/LoadCredential").toString())
        .isEqualTo("[\"anki-connect-api-key:/run/agenix/anki-connect-api-key\",\"anki-sync-password:/run/agenix/anki-sync-password\"]");
    String config = configOf(service);
    assertThat(config).contains("bind tailscale  # flag", "connect-port 8765  # flag", "profile server  # flag",
        "config-api-enable true  # flag", "config-api-prefix awesomeAnki.  # flag", "sync-interval 5m  # flag",
        "sync-url http://[::1]:27701/  # flag", "sync-user anki  # flag",
        "api-key-file <from " + dir.resolve("credentials/anki-connect-api-key") + ">  # flag",
        "addon-source " + dir.resolve("stub/anki-connect/share/anki/addons/anki-connect") + "  # flag");
    assertThat(config).doesNotContain("/run/agenix");
  }

  @Test
  void readmeExampleGivesAUnitThatRunAcceptsAndABackupTimer() throws Exception {
    Evaluation e = evaluate(NixOptionNames.readmeExample());
    assertThat(e.code()).as(e.output()).isZero();
    assertThat(e.json().get("failedAssertions")).as(e.output()).isEmpty();
    configOf(e.json().get("service"));
    assertThat(e.json().at("/backupService/serviceConfig/ExecStart").asText())
        .contains(" backup --source /var/lib/anki-sync-server --dest /mnt/data/backups/anki --stop-unit anki-sync-server.service");
    assertThat(e.json().at("/backupTimer/timerConfig/OnCalendar").asText()).isEqualTo("daily");
    assertThat(e.json().get("users").toString()).isEqualTo("[\"anki\"]");
  }

  @Test
  void boundToAnAddressWithSyncOffGivesAUnitThatRunAccepts() throws Exception {
    JsonNode service = service("""
        {
          services.anki-supervisor = { enable = true; bind = "100.64.0.7"; corsOrigins = [ "https://deck.example" ];
            statusFile = "/srv/anki/status.json"; extraArgs = [ "--start-timeout" "5m" ]; };
        }
        """);
    assertThat(service.at("/serviceConfig/ReadWritePaths").toString()).isEqualTo("[\"/srv/anki\"]");
    assertThat(service.at("/serviceConfig/LoadCredential")).isEmpty();
    assertThat(service.get("wants").toString()).doesNotContain("tailscaled");
    String config = configOf(service);
    assertThat(config).contains("bind 100.64.0.7  # flag", "sync-interval 0s  # flag", "sync-on-start false  # flag",
        "cors-origin https://deck.example  # flag", "start-timeout 5m  # flag", "sync-user (none)  # default");
  }

  @Test
  void syncOffWithoutAnythingElseGivesAUnitThatRunAccepts() throws Exception {
    String config = configOf(service("{ services.anki-supervisor = { enable = true; sync.enable = false; }; }"));
    assertThat(config).contains("bind tailscale  # flag", "sync-url (none)  # default");
  }

  @Test
  void theUnitIsTheOneInSystemdFolder() throws Exception {
    Map<String, String> expected = new TreeMap<>();
    UnitFile.read(Path.of("systemd/anki-connect.service")).section("Service").forEach((k, v) -> {
      if (!HOST_KEYS.contains(k)) {
        expected.put(k, String.join(" ", v));
      }
    });
    Map<String, String> generated = new TreeMap<>();
    service(SEED).get("serviceConfig").fields().forEachRemaining(f -> {
      JsonNode v = f.getValue();
      String text = v.isBoolean() ? (v.asBoolean() ? "yes" : "no")
          : v.isArray() ? toList(v).stream().collect(Collectors.joining(" ")) : v.asText();
      if (!HOST_KEYS.contains(f.getKey())) {
        generated.put(f.getKey(), text);
      }
    });
    assertThat(generated).isEqualTo(expected);
  }

  @Test
  void wrongCombinationsFailEvaluationWithAMessage() throws Exception {
    Map<String, String> cases = new LinkedHashMap<>();
    cases.putAll(Map.of(
        "{ services.anki-supervisor = { enable = true; sync.enable = true; }; services.anki-sync-server.enable = true; }",
        "sync.enable needs sync.user and sync.passwordFile",
        "{ services.anki-supervisor = { enable = true; configApi = { enable = true; allowedKeyPrefixes = [ ]; }; }; }",
        "needs allowedKeyPrefixes without empty or blank entries",
        "{ services.anki-supervisor = { enable = true; configApi = { enable = true; allowedKeyPrefixes = [ \"a.\" \" \" ]; }; }; }",
        "not of type `config-API key prefix: not empty or blank",
        "{ services.anki-supervisor = { enable = true; apiKeyFile = ./key; }; }",
        "apiKeyFile",
        "{ services.anki-supervisor = { enable = true; apiKeyFile = \"/nix/store/abc-key\"; }; }",
        "outside the Nix store",
        "{ services.anki-supervisor = { enable = true; profile = \"_global\"; }; }",
        "profile",
        "{ services.anki-supervisor = { enable = true; bind = \"0.0.0.0\"; }; }",
        "exposes AnkiConnect on every network",
        "{ services.anki-supervisor = { enable = true; sync = { enable = true; user = \"a\"; passwordFile = \"/run/p\"; }; }; }",
        "services.anki-sync-server is not enabled",
        "{ services.anki-supervisor = { enable = true; backup.enable = true; }; }",
        "backup.destination"));
    cases.putAll(valueRuleCases());
    for (var c : cases.entrySet()) {
      Evaluation e = evaluate(c.getKey());
      String messages = e.code() == 0 ? e.json().get("failedAssertions").toString() : e.output();
      assertThat(e.code() != 0 || !e.json().get("failedAssertions").isEmpty()).as(c.getKey() + " must fail").isTrue();
      assertThat(messages).as(c.getKey()).contains(c.getValue());
    }
  }

  /** The values run refuses (ProfileName, ConfigApiSettings, SyncSettings.checkUrl, DurationConverter, ports), refused at evaluation. */
  private static Map<String, String> valueRuleCases() {
    String profileRule = "not of type `Anki profile name: 1-200 bytes of UTF-8";
    String prefixRule = "not of type `config-API key prefix: not empty or blank";
    String durationRule = "not of type `duration from 0 to 365d";
    Map<String, String> cases = new LinkedHashMap<>();
    for (String profile : List.of("\"\"", "\" \"", "\".\"", "\"..\"", "\"a/b\"", "\"a\\nb\"", "\"_x\"",
        "\"" + "x".repeat(201) + "\"", "\"" + "\u00e9".repeat(101) + "\"", "(builtins.fromJSON ''\"a\\u0085b\"'')")) {
      cases.put("{ services.anki-supervisor = { enable = true; profile = " + profile + "; }; }", profileRule);
    }
    for (String prefix : List.of("\" a.\"", "\"a. \"", "\"a,b\"", "\"a\\tb\"")) {
      cases.put("{ services.anki-supervisor = { enable = true; configApi.allowedKeyPrefixes = [ " + prefix + " ]; }; }",
          prefixRule);
    }
    String sync = "{ services.anki-supervisor = { enable = true; sync = { enable = true; user = \"a\"; passwordFile = \"/run/p\"; ";
    for (String interval : List.of("366d", "8761h", "31536001", "31536000001ms", "99999999999999999999999d", "5x", "")) {
      cases.put(sync + "interval = \"" + interval + "\"; }; }; services.anki-sync-server.enable = true; }", durationRule);
    }
    Map<String, String> urls = new LinkedHashMap<>();
    urls.put("ftp://h/", "must start with http:// or https://");
    urls.put("h:27701", "must start with http:// or https://");
    urls.put("http://u:p@h/", "holds a user name or password");
    urls.put("http://h/?a=1", "has a query or fragment");
    urls.put("http://h/#x", "has a query or fragment");
    urls.put("http://h:0/", "has a port outside 1-65535");
    urls.put("http://h:65536/", "has a port outside 1-65535");
    urls.put("http://h:/", "has a port outside 1-65535");
    urls.put("http://h_x/", "has no valid host name");
    urls.put("http://1.2.3.999/", "has no valid host name");
    urls.put("http:///x", "has no valid host name");
    urls.put("http://h /", "is empty or holds blanks or control characters");
    urls.forEach((url, why) -> cases.put(sync + "url = \"" + url + "\"; }; }; }",
        "services.anki-supervisor.sync.url = \\\"" + url + "\\\" " + why));
    cases.put("{ services.anki-supervisor = { enable = true; port = 0; }; }", "not of type `integer between 1 and 65535");
    cases.put("{ services.anki-supervisor = { enable = true; port = 65536; }; }", "not of type `integer between 1 and 65535");
    cases.put("{ services.anki-supervisor = { enable = true; configApi.maxValueBytes = 2147483648; }; }",
        "not of type `integer between 1 and 2147483647");
    return cases;
  }

  /** The edges of the same rules that run accepts pass evaluation, and run accepts the unit: the module refuses no more. */
  @Test
  void edgeValuesThatRunAcceptsPassEvaluation() throws Exception {
    String config = configOf(service("""
        {
          services.anki-supervisor = { enable = true; port = 65535; profile = "%s";
            configApi = { enable = true; allowedKeyPrefixes = [ "a.b" "\u00e9." ]; maxValueBytes = 2147483647; };
            sync = { enable = true; user = "a"; passwordFile = "/run/p"; interval = "365d";
              url = "HTTPS://sync.example.com:65535"; }; };
        }
        """.formatted("\u00e9".repeat(100))));
    assertThat(config).contains("connect-port 65535  # flag", "profile " + "\u00e9".repeat(100) + "  # flag",
        "sync-interval 365d  # flag", "sync-url HTTPS://sync.example.com:65535  # flag", "config-api-max-bytes 2147483647  # flag");
  }

  @Test
  void readmeTableMatchesTheDeclaredOptions() throws Exception {
    Evaluation e = evaluate("{ }");
    assertThat(e.code()).as(e.output()).isZero();
    List<String> declared = toList(e.json().get("options")).stream()
        .map(n -> n.substring(NixOptionNames.PREFIX.length())).toList();
    assertThat(NixOptionNames.readmeTable().keySet()).containsExactlyInAnyOrderElementsOf(declared);
    assertThat(NixOptionNames.fromModule()).containsExactlyInAnyOrderElementsOf(declared);
  }

  private static List<String> toList(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** Guards the harness itself: an unreadable nixpkgs lib is an error, not a pass. */
  @Test
  void anUnknownOptionFailsTheEvaluation() throws Exception {
    Evaluation e = evaluate("{ services.anki-supervisor.noSuchOption = 1; }");
    assertThat(e.code()).isNotZero();
    assertThat(e.output()).contains("noSuchOption");
  }
}
