package dev.ankisupervisor.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Debian install guide, systemd/README.md, run as written: every shell block, in the guide's order,
 * as root in a fresh Debian 12 container booted with real systemd 252 (its own network, so the units keep
 * their shipped ports), with only the substitutions, skips and prose steps {@link GuidePlan} lists (and
 * says why). Each block runs in a new bash with {@code set -euo pipefail} from root's home, as a root shell
 * would paste it; the install blocks run twice in a row, since the guide says they can be run again. Then
 * the end state the guide promises: every unit it enables active, {@code status} OK, {@code doctor} with
 * no problem, {@code check} passing every step, and the password of section 12 the one that syncs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GuideIT {
  /** Bound of one block (a block may start units and wait for Anki); -Danki.guide.block-wait=SECONDS. */
  static final Duration BLOCK_WAIT = Duration.ofSeconds(Long.getLong("anki.guide.block-wait", 180));
  private static final String ROTATION = "12. Changing the sync password #1";
  /** Where section 9's monitoring block moves the status file. */
  private static final String STATUS_FILE = "/run/anki-connect/sync-status.json";
  private static final String CREDENTIALS = "/etc/anki-supervisor/credentials/";
  private static final Pattern ENABLE = Pattern.compile("systemctl enable --now ([^\\n#]+)");
  private static SystemdContainer c;
  private static Systemctl systemctl;
  private static List<GuidePlan.Step> steps;
  private static final Map<String, Instant> started = new HashMap<>();
  private static boolean guideRan;

  @BeforeAll
  static void bootAndStage() throws Exception {
    steps = GuidePlan.steps(GuideBlocks.read());
    NspawnTests.assumeContainersCanRun();
    long t0 = System.nanoTime();
    c = SystemdContainer.boot("guide", true);
    systemctl = new Systemctl(c);
    stage();
    System.out.printf("[guide] %s booted and staged in %d ms%n", c.name(), (System.nanoTime() - t0) / 1_000_000);
  }

  @AfterAll
  static void powerOff() throws Exception {
    if (c != null) {
      c.close();
    }
  }

  /** What the substitutions use: this project's folder (the clone), the built jar, the stand-in's add-on tree. */
  private static void stage() throws IOException {
    Path project = Path.of("").toAbsolutePath();
    Path checkout = c.path(GuidePlan.STAGED + "/checkout");
    try (var files = Files.walk(project)) {
      for (Path from : files.filter(p -> !p.startsWith(project.resolve(".git"))
          && !project.relativize(p).toString().matches("(.*/)?target(/.*)?"))
          .toList()) {
        Path to = checkout.resolve(project.relativize(from).toString());
        if (Files.isDirectory(from)) {
          Files.createDirectories(to);
        } else {
          Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
    Files.copy(DebianInstall.JAR, c.path(GuidePlan.STAGED + "/anki-supervisor.jar"));
    Path plugin = c.path(GuidePlan.STAGED + "/anki-connect/plugin");
    Files.createDirectories(plugin);
    Files.writeString(plugin.resolve("__init__.py"), "# AnkiConnect, played by the stand-in Anki\n");
    Files.writeString(plugin.resolve("config.json"), DebianInstall.ankiConnectConfig(8765));
  }

  @Test
  @Order(1)
  void everyBlockOfTheGuideRuns() throws Exception {
    for (GuidePlan.Step step : steps) {
      GuidePlan.Handling h = step.handling();
      if (h.runs() == GuidePlan.Runs.SKIPPED) {
        System.out.printf("[guide] skipped \"%s\": %s%n", step.block().id(), h.skipReason());
        continue;
      }
      for (GuidePlan.Given given : h.before()) {
        run(step.block().id() + " (what the reader did before)", given.script());
      }
      started.put(step.block().id(), Instant.now());
      run(step.block().id(), step.script());
      if (h.runs() == GuidePlan.Runs.TWICE) {
        String before = installedFiles();
        run(step.block().id() + " (again)", step.script());
        assertSameFiles(step.block().id(), before, installedFiles());
      }
    }
    guideRan = true;
  }

  @Test
  @Order(2)
  void everyUnitTheGuideEnablesIsActive() throws Exception {
    Assumptions.assumeTrue(guideRan, "the guide did not run to its end");
    List<String> units = new ArrayList<>();
    for (GuidePlan.Step step : steps) {
      Matcher m = ENABLE.matcher(step.script());
      while (step.handling().runs() != GuidePlan.Runs.SKIPPED && m.find()) {
        units.addAll(List.of(m.group(1).strip().split("\\s+")));
      }
    }
    assertThat(units).contains("anki-connect.service", "anki-sync-server.service", "anki-sync-backup.timer", "anki-connect@alice");
    for (String unit : units) {
      assertThat(systemctl.prop(unit, "ActiveState")).as(unit).isEqualTo("active");
    }
  }

  @Test
  @Order(3)
  void statusIsOk() throws Exception {
    Assumptions.assumeTrue(guideRan, "the guide did not run to its end");
    SystemdContainer.Result r = supervisor("status", "--status-file", STATUS_FILE);
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).startsWith("OK");
  }

  @Test
  @Order(4)
  void doctorFindsNoProblem() throws Exception {
    Assumptions.assumeTrue(guideRan, "the guide did not run to its end");
    for (List<String> args : List.of(List.of("--unit", "anki-connect", "--backup-dir", "/mnt/data/backups/anki"),
        List.of("--unit", "anki-connect@alice"))) {
      List<String> argv = new ArrayList<>(List.of("doctor"));
      argv.addAll(args);
      SystemdContainer.Result r = supervisor(argv.toArray(String[]::new));
      assertThat(r.exit()).as(r.toString()).isZero();
      assertThat(r.out()).contains("no problems found").doesNotContain("PROBLEM");
    }
  }

  @Test
  @Order(5)
  void checkPassesEveryStep() throws Exception {
    Assumptions.assumeTrue(guideRan, "the guide did not run to its end");
    SystemdContainer.Result r = supervisor("check", "--unit", "anki-connect");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out().lines().toList()).as(r.out()).hasSize(8).allMatch(l -> l.startsWith("PASS "));
  }

  @Test
  @Order(6)
  void theNewSyncPasswordIsTheOneThatSyncs() throws Exception {
    Assumptions.assumeTrue(guideRan, "the guide did not run to its end");
    Instant rotation = started.get(ROTATION);
    Path password = c.path(CREDENTIALS + "anki-sync-password");
    // Section 12 wrote a new password (section 6, run twice before, keeps an existing one).
    assertThat(Files.getLastModifiedTime(password).toInstant()).isAfter(rotation);
    assertThat(Files.readAllLines(c.path(CREDENTIALS + "anki-sync-users")))
        .contains("anki:" + Files.readString(password).strip());
    // /run is the container's own tmpfs: read it from inside.
    JsonNode sync = new ObjectMapper().readTree(c.exec("cat", STATUS_FILE).ok().out()).path("sync");
    assertThat(sync.path("state").asText()).as(sync.toString()).isEqualTo("ok");
    assertThat(Instant.parse(sync.path("lastSuccessAt").asText())).as(sync.toString()).isAfter(rotation);
  }

  @Test
  @Order(7)
  void theDevicesUploadWasDownloadedIntoTheProfile() throws Exception {
    Assumptions.assumeTrue(guideRan, "the guide did not run to its end");
    String key = Files.readString(c.path(CREDENTIALS + "anki-connect-api-key")).strip();
    assertThat(NspawnTests.deckNamesInside(c, GuidePlan.TAILSCALE_ADDRESS, 8765, key)).contains(GuidePlan.UPLOADED_DECK);
    // What the guide's First sync says to look for in the journal.
    assertThat(systemctl.journal("_SYSTEMD_UNIT=anki-connect.service").stream().map(Systemctl::message))
        .anySatisfy(m -> assertThat(m).contains("bootstrap complete: 2 decks, 3 cards"));
  }

  /**
   * What the install leaves outside the services' state: every folder, file and link under /etc,
   * /usr/local and /opt with its mode, owner and (for files) content, one sorted line each.
   */
  private static String installedFiles() throws Exception {
    return c.exec(BLOCK_WAIT, "sh", "-c", "{ find /etc /usr/local /opt -xdev -printf '%M %u:%g %p %l\\n';"
        + " find /etc /usr/local /opt -xdev -type f -exec sha256sum {} +; } | sort").ok().out();
  }

  /** A block run again (the guide says every block can be) must leave those files as its first run did. */
  private static void assertSameFiles(String block, String first, String again) {
    List<String> gone = new ArrayList<>(first.lines().toList());
    gone.removeAll(again.lines().toList());
    List<String> added = new ArrayList<>(again.lines().toList());
    added.removeAll(first.lines().toList());
    assertThat(gone.size() + added.size()).as("the block \"%s\", run again, changed /etc, /usr/local or /opt:%n"
        + "before: %s%nafter: %s", block, gone, added).isZero();
  }

  /** {@code anki-supervisor ARGS} as root in the container. */
  private static SystemdContainer.Result supervisor(String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of("env", "HOME=/root", "anki-supervisor"));
    argv.addAll(List.of(args));
    return c.exec(BLOCK_WAIT, argv.toArray(String[]::new));
  }

  /** Runs a script as a root shell would (bash, HOME=/root, in /root), failing with its output and the journal's end. */
  private static void run(String what, String script) throws Exception {
    long t0 = System.nanoTime();
    SystemdContainer.Result r = c.exec(BLOCK_WAIT, "env", "HOME=/root", "bash", "-euo", "pipefail", "-c", "cd\n" + script);
    System.out.printf("[guide] %s: exit %d in %d ms%n", what, r.exit(), (System.nanoTime() - t0) / 1_000_000);
    if (r.exit() != 0) {
      String journal = c.exec("journalctl", "--no-pager", "-b", "-n", "60").out();
      throw new AssertionError("the guide's block \"" + what + "\" failed with exit " + r.exit() + "\n--- script:\n" + script
          + "--- stdout:\n" + r.out() + "--- stderr:\n" + r.err() + "--- the journal's last lines:\n" + journal);
    }
  }
}
