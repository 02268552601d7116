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
 * it sets ({@code supervisor/src/test/resources/nix/eval-module.nix}), then runs {@code anki-supervisor config}
 * with the generated ExecStart arguments and Environment: the unit the module writes must be one
 * {@code run} accepts. Skipped without NIXPKGS_LIB or nix-instantiate (CI has no nixpkgs).
 */
class NixModuleIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JAR = System.getProperty("anki.supervisor.jar", "supervisor/target/anki-supervisor.jar");
  private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
  private static final Path HARNESS = Path.of("supervisor/src/test/resources/nix/eval-module.nix").toAbsolutePath();
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
    return evaluate(scenario, dir.resolve("stub").toString());
  }

  /** Evaluates with the stub packages under {@code stubOut} ({@code /nix/store}: made-up store paths). */
  private Evaluation evaluate(String scenario, String stubOut) throws Exception {
    Path file = dir.resolve("scenario-" + Integer.toHexString(scenario.hashCode()) + ".nix");
    Files.writeString(file, scenario);
    Process p = new ProcessBuilder("nix-instantiate", "--eval", "--strict", "--json", HARNESS.toString(),
        "--arg", "lib", "import " + lib, "--arg", "module", Path.of("nix/module.nix").toAbsolutePath().toString(),
        "--arg", "scenario", file.toString(), "--argstr", "stubOut", stubOut)
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
        services.tailscale.enable = true;
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
        .contains(" backup --source /var/lib/private/anki-sync-server --dest /mnt/data/backups/anki --stop-unit anki-sync-server.service");
    assertThat(e.json().get("tmpfiles").toString()).isEqualTo("[\"d /mnt/data/backups/anki 0750 root root - -\"]");
    assertThat(e.json().get("systemPackages").toString()).isEqualTo("[\"anki-supervisor\"]");
    assertThat(e.json().at("/backupTimer/timerConfig/OnCalendar").asText()).isEqualTo("daily");
    assertThat(e.json().get("users").toString()).isEqualTo("[\"anki\"]");
  }

  private static final String BOUND = """
      {
        services.anki-supervisor = { enable = true; bind = "100.64.0.7"; corsOrigins = [ "https://deck.example" ];
          statusFile = "/srv/anki/status.json"; extraArgs = [ "--start-timeout" "5m" ]; };
      }
      """;

  @Test
  void boundToAnAddressWithSyncOffGivesAUnitThatRunAccepts() throws Exception {
    JsonNode service = service(BOUND);
    assertThat(service.at("/serviceConfig/ReadWritePaths").toString()).isEqualTo("[\"/srv/anki\"]");
    assertThat(evaluate(BOUND).json().get("tmpfiles").toString()).isEqualTo("[\"d /srv/anki 0750 anki anki - -\"]");
    assertThat(service.at("/serviceConfig/LoadCredential")).isEmpty();
    assertThat(service.get("wants").toString()).doesNotContain("tailscaled");
    String config = configOf(service);
    assertThat(config).contains("bind 100.64.0.7  # flag", "sync-interval 0s  # flag", "sync-on-start false  # flag",
        "cors-origin https://deck.example  # flag", "start-timeout 5m  # flag", "sync-user (none)  # default");
  }

  @Test
  void syncOffWithoutAnythingElseGivesAUnitThatRunAccepts() throws Exception {
    String config = configOf(service("{ services.tailscale.enable = true; services.anki-supervisor = { enable = true; sync.enable = false; }; }"));
    assertThat(config).contains("bind tailscale  # flag", "sync-url (none)  # default");
  }

  /** The VM test's machine (nix/tests/machine.nix) evaluates, and run accepts its unit. */
  @Test
  void theVmTestsMachineGivesAUnitThatRunAccepts() throws Exception {
    Evaluation e = evaluate("import " + Path.of("nix/tests/machine.nix").toAbsolutePath() + " { }");
    assertThat(e.code()).as(e.output()).isZero();
    assertThat(e.json().get("failedAssertions")).as(e.output()).isEmpty();
    assertThat(e.json().get("warnings")).as(e.output()).isEmpty();
    assertThat(configOf(e.json().get("service"))).contains("bind 127.0.0.1  # flag", "sync-user anki  # flag");
    assertThat(e.json().at("/backupService/serviceConfig/ExecStart").asText()).contains("--dest /var/backups/anki");
  }

  /** instances.NAME: one unit anki-connect@NAME per profile, each with its folders, port and secrets, each accepted by run. */
  @Test
  void instancesGiveOneUnitPerProfileThatRunAccepts() throws Exception {
    Evaluation e = evaluate("""
        { services.tailscale.enable = true; services.anki-sync-server.enable = true;
          services.anki-supervisor = { openFirewall = true; instances = {
            alice = { port = 8766; apiKeyFile = "/run/agenix/alice-key";
              sync = { enable = true; user = "alice"; passwordFile = "/run/agenix/alice-sync"; }; };
            bob = { port = 8767; apiKeyFile = "/run/agenix/bob-key"; profile = "Bob's"; }; }; }; }
        """);
    assertThat(e.code()).as(e.output()).isZero();
    assertThat(e.json().get("failedAssertions")).as(e.output()).isEmpty();
    JsonNode services = e.json().get("services");
    assertThat(toList(fieldNames(services))).containsExactlyInAnyOrder("anki-connect@alice", "anki-connect@bob", "anki-sync-server");
    JsonNode alice = services.get("anki-connect@alice");
    assertThat(alice.at("/serviceConfig/StateDirectory").asText()).isEqualTo("anki/alice");
    assertThat(alice.at("/serviceConfig/RuntimeDirectory").asText()).isEqualTo("anki-connect/alice");
    assertThat(alice.at("/environment/HOME").asText()).isEqualTo("/var/lib/anki/alice");
    assertThat(alice.at("/serviceConfig/LoadCredential").toString())
        .isEqualTo("[\"anki-connect-api-key:/run/agenix/alice-key\",\"anki-sync-password:/run/agenix/alice-sync\"]");
    assertThat(configOf(alice)).contains("profile alice  # flag", "connect-port 8766  # flag", "base /var/lib/anki/alice  # flag",
        "status-file /var/lib/anki/alice/sync-status.json  # flag", "sync-user alice  # flag");
    assertThat(configOf(services.get("anki-connect@bob"))).contains("profile Bob's  # flag", "connect-port 8767  # flag",
        "sync-interval 0s  # flag");
    assertThat(e.json().get("firewall").toString()).isEqualTo("{\"interfaces\":{\"tailscale0\":{\"allowedTCPPorts\":[8766,8767]}}}");
  }

  private static JsonNode fieldNames(JsonNode object) {
    var names = JSON.createArrayNode();
    object.fieldNames().forEachRemaining(names::add);
    return names;
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
        "{ services.tailscale.enable = true; services.anki-supervisor = { enable = true; sync.enable = true; }; services.anki-sync-server.enable = true; }",
        "sync.enable needs sync.user and sync.passwordFile",
        "{ services.tailscale.enable = true; services.anki-supervisor = { enable = true; configApi = { enable = true; allowedKeyPrefixes = [ ]; }; }; }",
        "needs allowedKeyPrefixes without empty or blank entries",
        "{ services.tailscale.enable = true; services.anki-supervisor = { enable = true; configApi = { enable = true; allowedKeyPrefixes = [ \"a.\" \" \" ]; }; }; }",
        "not of type `config-API key prefix: not empty or blank",
        "{ services.tailscale.enable = true; services.anki-supervisor = { enable = true; apiKeyFile = ./key; }; }",
        "apiKeyFile",
        "{ services.tailscale.enable = true; services.anki-supervisor = { enable = true; apiKeyFile = \"/nix/store/abc-key\"; }; }",
        "outside the Nix store",
        "{ services.tailscale.enable = true; services.anki-supervisor = { enable = true; profile = \"_global\"; }; }",
        "profile",
        "{ services.tailscale.enable = true; services.anki-supervisor = { enable = true; bind = \"0.0.0.0\"; }; }",
        "exposes AnkiConnect on every network",
        "{ services.tailscale.enable = true; services.anki-supervisor = { enable = true; sync = { enable = true; user = \"a\"; passwordFile = \"/run/p\"; }; }; }",
        "services.anki-sync-server is not enabled",
        "{ services.tailscale.enable = true; services.anki-supervisor = { enable = true; backup.enable = true; }; }",
        "backup.destination"));
    cases.putAll(valueRuleCases());
    cases.putAll(deploymentCases());
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
      cases.put("{ services.tailscale.enable = true; services.anki-supervisor = { enable = true; profile = " + profile + "; }; }", profileRule);
    }
    for (String prefix : List.of("\" a.\"", "\"a. \"", "\"a,b\"", "\"a\\tb\"")) {
      cases.put("{ services.tailscale.enable = true; services.anki-supervisor = { enable = true; configApi.allowedKeyPrefixes = [ " + prefix + " ]; }; }",
          prefixRule);
    }
    String sync = "{ services.tailscale.enable = true; services.anki-supervisor = { enable = true; sync = { enable = true; user = \"a\"; passwordFile = \"/run/p\"; ";
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
    cases.put("{ services.tailscale.enable = true; services.anki-supervisor = { enable = true; port = 0; }; }", "not of type `integer between 1 and 65535");
    cases.put("{ services.tailscale.enable = true; services.anki-supervisor = { enable = true; port = 65536; }; }", "not of type `integer between 1 and 65535");
    cases.put("{ services.tailscale.enable = true; services.anki-supervisor = { enable = true; configApi.maxValueBytes = 2147483648; }; }",
        "not of type `integer between 1 and 2147483647");
    return cases;
  }

  /** Binds, secrets, folders, users and flags the deployment would trip on, refused at evaluation. */
  private static Map<String, String> deploymentCases() {
    String on = "{ services.tailscale.enable = true; services.anki-supervisor = { enable = true; ";
    Map<String, String> cases = new LinkedHashMap<>();
    for (String wildcard : List.of("::0", "0:0:0:0:0:0:0:0", "[::]", "0.0.0.0", "::")) {
      cases.put(on + "bind = \"" + wildcard + "\"; }; }", "exposes AnkiConnect on every network");
    }
    for (String malformed : List.of("100.64.0.1:8765", "999.1.1.1", "1.2.3", "1::2::3", "12345::1", "1:2:3:4:5:6:7:8:9",
        "host.example", "fe80::1%eth0", "")) {
      cases.put(on + "bind = \"" + malformed + "\"; }; }", "not of type `\"tailscale\" or an IP address");
    }
    cases.put("{ services.anki-supervisor.enable = true; }", "but services.tailscale is not enabled");
    cases.put(on + "sync = { enable = true; user = \"a\"; passwordFile = \"/nix/store/abc-password\"; }; }; "
        + "services.anki-sync-server.enable = true; }", "outside the Nix store");
    cases.put(on + "apiKeyFile = \"/run/agenix/a key\"; }; }", "no blanks or control characters");
    cases.put(on + "statusFile = \"relative/status.json\"; }; }", "not of type `absolute path");
    cases.put(on + "corsOrigins = [ \"http://a,http://b\" ]; }; }", "corsOrigins");
    cases.put(on + "user = \"nosuchuser\"; }; }", "user = \\\"nosuchuser\\\" is not a user of this system");
    cases.put(on + "extraArgs = [ \"--connect-port\" \"9000\" ]; }; }", "extraArgs repeats --connect-port");
    cases.put(on + "extraArgs = [ \"--sync-on-start\" ]; }; }", "extraArgs repeats --sync-on-start");
    cases.put(on + "extraArgs = [ \"--bind=127.0.0.1\" ]; }; }", "extraArgs repeats --bind");
    cases.put(on + "backup = { enable = true; destination = \"/b\"; keepDaily = -1; }; }; }", "backup.keepDaily");
    cases.put(on + "tailscaleInterface = \"a-very-long-interface-name\"; }; }", "tailscaleInterface");
    String inst = "{ services.tailscale.enable = true; services.anki-supervisor.instances = ";
    cases.put(inst + "{ a.port = 8766; b.port = 8766; }; }", "need a port each; found [8766,8766]");
    cases.put(inst + "{ \"a b\".port = 8766; }; }", "instances names are unit and folder names");
    cases.put(inst + "{ a = { port = 8766; sync.enable = true; }; }; services.anki-sync-server.enable = true; }",
        "services.anki-supervisor.instances.a.sync.enable needs sync.user and sync.passwordFile");
    cases.put(inst + "{ a.port = 8766; }; services.anki-supervisor.enable = true; }", "exclude each other");
    cases.put(inst + "{ a = { port = 8766; profile = \"_x\"; }; }; }", "not of type `Anki profile name");
    return cases;
  }

  /** Evaluates one attribute of supervisor/src/test/resources/nix/eval-packages.nix (the packages with stub builders). */
  private Evaluation evaluatePackages(String attr, String ankiConnectVersion) throws Exception {
    Process p = new ProcessBuilder("nix-instantiate", "--eval", "--strict", "--json",
        Path.of("supervisor/src/test/resources/nix/eval-packages.nix").toAbsolutePath().toString(), "-A", attr,
        "--arg", "libPath", lib.toString(), "--arg", "repo", Path.of("").toAbsolutePath().toString(),
        "--argstr", "ankiConnectVersion", ankiConnectVersion).redirectError(dir.resolve("nix.err").toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Evaluation(p.exitValue(), out + Files.readString(dir.resolve("nix.err")), p.exitValue() == 0 ? JSON.readTree(out) : null);
  }

  /** Without mvnHash the package says, at evaluation, how to learn it and what to write; with it, it is used. */
  @Test
  void thePackageWithoutMvnHashSaysWhatToWrite() throws Exception {
    Evaluation unset = evaluatePackages("mvnHashUnset", "25.11.9.0");
    assertThat(unset.code()).isNotZero();
    assertThat(unset.output()).contains("anki-supervisor: mvnHash is not set",
        "callPackage ./nix/package.nix { mvnHash = lib.fakeHash; }",
        "services.anki-supervisor.package = pkgs.anki-supervisor.override { mvnHash = \"sha256-...\"; };");
    assertThat(evaluatePackages("mvnHashGiven", "25.11.9.0").json().asText()).isEqualTo("sha256-given");
  }

  /** AnkiConnect is nixpkgs' own add-on with our patches added, only at the version they are written for. */
  @Test
  void ankiConnectIsNixpkgsAddonWithOurPatchesOnlyAt25_11_9_0() throws Exception {
    Evaluation ok = evaluatePackages("ankiConnect", "25.11.9.0");
    assertThat(ok.code()).as(ok.output()).isZero();
    assertThat(ok.json().toString()).isEqualTo("{\"patchFlags\":[\"-p2\"],\"patches\":[\"anki-connect-config-actions.patch\","
        + "\"anki-connect-headless-sync.patch\"],\"version\":\"25.11.9.0\"}");
    Evaluation other = evaluatePackages("ankiConnect", "24.7.25.0");
    assertThat(other.code()).isNotZero();
    assertThat(other.output()).contains("nixpkgs' ankiAddons.anki-connect is 24.7.25.0, but the project's AnkiConnect",
        "are written for 25.11.9.0", "services.anki-supervisor.ankiConnectPackage");
  }

  /**
   * The package runs the unit tests in its build (buildMavenPackage runs them in `mvn package` unless
   * doCheck is false), with the tools they run, in the dependency download too; its source is every
   * file Git tracks (the unit tests read the docs, units, module and patches), without target/ folders.
   */
  @Test
  void thePackageRunsTheUnitTestsOnTheWholeRepository() throws Exception {
    Evaluation tests = evaluatePackages("unitTests", "25.11.9.0");
    assertThat(tests.code()).as(tests.output()).isZero();
    assertThat(tests.json().toString()).isEqualTo("{\"doCheck\":true,\"fetch\":{\"doCheck\":true,"
        + "\"nativeCheckInputs\":[\"python3\",\"util-linux\"]},\"mvnParameters\":\"\",\"nativeCheckInputs\":[\"python3\",\"util-linux\"]}");
    Evaluation source = evaluatePackages("sourceFiles", "25.11.9.0");
    assertThat(source.code()).as(source.output()).isZero();
    List<String> files = toList(source.json());
    Process git = new ProcessBuilder("git", "ls-files").redirectErrorStream(true).start();
    List<String> tracked = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    assertThat(git.waitFor()).as(String.join("\n", tracked)).isZero();
    assertThat(files).containsAll(tracked).contains("docs/configuration.md", "patches/anki-connect-headless-sync.patch")
        .noneMatch(f -> f.startsWith("target/") || f.contains("/target/") || f.equals(".git") || f.startsWith(".git/"));
  }

  /** The unit files the container test boots (NixOsUnitsIT); -Danki.nix.render=true writes them anew. */
  static final Path RENDERED = Path.of("supervisor/src/test/resources/nix/rendered");

  /**
   * The README's example (the seed's configuration with backup), rendered as NixOS writes unit files,
   * is what the repository holds for the container test, which boots them where there is no nixpkgs lib.
   */
  @Test
  void theRenderedUnitsOfTheReadmeExampleAreTheCommittedFiles() throws Exception {
    Evaluation e = evaluate(NixOptionNames.readmeExample(), "/nix/store");
    assertThat(e.code()).as(e.output()).isZero();
    assertThat(e.json().get("failedAssertions")).as(e.output()).isEmpty();
    assertThat(e.json().get("warnings")).as(e.output()).isEmpty();
    Map<String, String> rendered = new TreeMap<>();
    e.json().get("rendered").fields().forEachRemaining(f -> rendered.put(f.getKey(), f.getValue().asText()));
    assertThat(rendered).containsOnlyKeys("anki-connect.service", "anki-sync-backup.service", "anki-sync-backup.timer",
        "anki-sync-server.service", "tmpfiles.conf");
    assertThat(rendered.get("anki-sync-server.service")).contains("\nKillSignal=SIGINT\n", "\nDynamicUser=true\n");
    if (Boolean.getBoolean("anki.nix.render")) {
      Files.createDirectories(RENDERED);
      for (var f : rendered.entrySet()) {
        Files.writeString(RENDERED.resolve(f.getKey()), f.getValue());
      }
    }
    for (var f : rendered.entrySet()) {
      assertThat(Files.readString(RENDERED.resolve(f.getKey())))
          .as(RENDERED.resolve(f.getKey()) + " is stale: run this test with -Danki.nix.render=true and commit the files")
          .isEqualTo(f.getValue());
    }
    try (var files = Files.list(RENDERED)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(rendered.keySet());
    }
  }

  /**
   * nixpkgs' sync server unit (N5: no KillSignal=, so SIGTERM) stops by SIGINT (S3) once the module runs
   * next to it, single unit or instances; a KillSignal set elsewhere wins; without the module it is untouched.
   */
  @Test
  void nixpkgsSyncServerStopsBySigintNextToTheModule() throws Exception {
    String server = "services.tailscale.enable = true; services.anki-sync-server = { enable = true;"
        + " users = [ { username = \"anki\"; passwordFile = \"/run/agenix/sync\"; } ]; };";
    assertThat(killSignalOf("{ " + server + " services.anki-supervisor.enable = true; }")).isEqualTo("SIGINT");
    assertThat(killSignalOf("{ " + server + " services.anki-supervisor.instances.a.port = 8766; }")).isEqualTo("SIGINT");
    assertThat(killSignalOf("{ " + server + " services.anki-supervisor.enable = true;"
        + " systemd.services.anki-sync-server.serviceConfig.KillSignal = \"SIGTERM\"; }")).isEqualTo("SIGTERM");
    assertThat(killSignalOf("{ " + server + " }")).as("the module is off").isEmpty();
    Evaluation noServer = evaluate("{ services.tailscale.enable = true; services.anki-supervisor.enable = true; }");
    assertThat(noServer.json().get("services").has("anki-sync-server")).as(noServer.output()).isFalse();
  }

  /** The KillSignal of the evaluated anki-sync-server unit, "" when it sets none. */
  private String killSignalOf(String scenario) throws Exception {
    Evaluation e = evaluate(scenario);
    assertThat(e.code()).as(e.output()).isZero();
    assertThat(e.json().get("failedAssertions")).as(e.output()).isEmpty();
    JsonNode unit = e.json().at("/services/anki-sync-server");
    assertThat(unit.isMissingNode()).as(scenario + " has the sync server unit:\n" + e.output()).isFalse();
    return unit.at("/serviceConfig/KillSignal").asText();
  }

  @Test
  void noApiKeyOnANonLoopbackBindIsAWarningAndTheFirewallOpensOnlyTheTailscaleInterface() throws Exception {
    Evaluation e = evaluate("{ services.tailscale = { enable = true; interfaceName = \"ts1\"; };"
        + " services.anki-supervisor = { enable = true; openFirewall = true; }; }");
    assertThat(e.json().get("failedAssertions")).as(e.output()).isEmpty();
    assertThat(e.json().get("warnings").toString()).contains("apiKeyFile is null while AnkiConnect listens on tailscale");
    assertThat(e.json().get("firewall").toString()).isEqualTo("{\"interfaces\":{\"ts1\":{\"allowedTCPPorts\":[8765]}}}");
    assertThat(e.json().at("/service/serviceConfig/ExecStart").asText()).contains("--tailscale-interface ts1");
    Evaluation loopback = evaluate("{ services.tailscale.enable = true; services.anki-supervisor = { enable = true; bind = \"127.0.0.1\"; }; }");
    assertThat(loopback.json().get("warnings")).as(loopback.output()).isEmpty();
    assertThat(loopback.json().get("firewall").toString()).isEqualTo("{}");
  }

  /** What passes evaluation but `run` refuses fails the build: the module's check runs `config` on the command line. */
  @Test
  void theBuildTimeCheckRefusesWhatRunRefuses() throws Exception {
    Path stubBin = Files.createDirectories(dir.resolve("stub/anki-supervisor/bin"));
    Files.writeString(stubBin.resolve("anki-supervisor"), "#!/bin/sh\nANKI_SUPERVISOR_JAR=" + Path.of(JAR).toAbsolutePath()
        + " JAVA_HOME=" + System.getProperty("java.home") + " exec " + Path.of("launcher/anki-supervisor").toAbsolutePath()
        + " \"$@\"\n");
    stubBin.resolve("anki-supervisor").toFile().setExecutable(true);
    assertThat(build(SEED).code()).as("the seed's configuration builds").isZero();
    Map<String, String> refused = new LinkedHashMap<>();
    refused.put("--no-such-flag", "Unknown option: '--no-such-flag'");
    refused.put("--start-timeout\" \"soon", "--start-timeout");
    refused.put("--liveness-misses\" \"0", "liveness misses must be >= 1");
    for (var r : refused.entrySet()) {
      Evaluation b = build("{ services.tailscale.enable = true; services.anki-supervisor = { enable = true; extraArgs = [ \""
          + r.getKey() + "\" ]; }; }");
      assertThat(b.code()).as(r.getKey() + " must fail the build:\n" + b.output()).isIn(64, 78);
      assertThat(b.output()).as(r.getKey()).contains(r.getValue());
    }
  }

  /** Evaluates {@code scenario} and runs its build-time check as the build would (sh -e, $out set); code and output. */
  private Evaluation build(String scenario) throws Exception {
    Evaluation e = evaluate(scenario);
    assertThat(e.code()).as(e.output()).isZero();
    assertThat(e.json().get("failedAssertions")).as(e.output()).isEmpty();
    assertThat(e.json().get("configCheck")).as("checkConfig is on by default").hasSize(1);
    ProcessBuilder pb = new ProcessBuilder("sh", "-ec", e.json().get("configCheck").get(0).asText()).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("ANKI_SUPERVISOR_"));
    pb.environment().put("out", dir.resolve("check-out").toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Evaluation(p.exitValue(), out, null);
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
          services.tailscale.enable = true;
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
