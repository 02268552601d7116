package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ankisupervisor.testing.RealAnkiAddon;
import dev.ankisupervisor.testing.RealAnkiConnect;
import dev.ankisupervisor.testing.RealAnkiSyncServer;
import dev.ankisupervisor.testing.RealAnkiVenv;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guards our test add-on (supervisor/src/test/resources/real-anki/addon/), which stands in for AnkiConnect where
 * its source is not at hand (CI): the request table conformance-requests.txt goes, in order, to real
 * Anki with the real AnkiConnect 25.11.9.0 + our patches and to real Anki with the test add-on (each
 * under {@code run}, its own fresh profile and sync user on one real sync server); every answer
 * (HTTP status and body, ids of new objects masked) must be equal: envelope, key and CORS rules,
 * Python's parameter errors, P1's rules and P2's sync answers. Needs ANKICONNECT_SRC; without it,
 * skipped with the reason.
 */
class RealAnkiConformanceIT {
  private static final Path TABLE = Path.of("supervisor/src/test/resources/real-anki/conformance-requests.txt");
  private static RealAnkiVenv venv;

  @TempDir Path realDir;
  @TempDir Path testDir;
  @TempDir Path serverDir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeAll
  static void needsBothAddons() {
    venv = RealAnkiVenv.require();
    String why = RealAnkiAddon.ANKICONNECT.missing();
    if (why != null) {
      // A skipped @BeforeAll shows as "Tests run: 0"; say why in the build log too.
      System.err.println("RealAnkiConformanceIT skipped: the real AnkiConnect side cannot run: " + why);
    }
    assumeTrue(why == null, "the real AnkiConnect side cannot run: " + why);
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  @Test
  void theTestAddonAnswersTheRequestTableExactlyAsTheRealAnkiConnectWithThePatches() throws Exception {
    RealAnkiSyncServer server = new RealAnkiSyncServer(venv, serverDir, "real:pw1", "test:pw2").start();
    open.add(server);
    RealAnkiRun real = configured(new RealAnkiRun(realDir, venv, RealAnkiRun.As.ROOT, RealAnkiAddon.ANKICONNECT), server, "real", "pw1");
    RealAnkiRun test = configured(new RealAnkiRun(testDir, venv, RealAnkiRun.As.ROOT, RealAnkiAddon.TEST_ADDON), server, "test", "pw2");
    real.start();
    test.start();
    real.awaitReady(1);
    test.awaitReady(1);

    List<String> requests = Files.readAllLines(TABLE, StandardCharsets.UTF_8).stream()
        .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    SoftAssertions soft = new SoftAssertions();
    for (String line : requests) {
      String origin = null;
      String body = line;
      if (line.startsWith("ORIGIN ")) {
        String[] parts = line.split(" ", 3);
        origin = parts[1];
        body = parts[2];
      }
      String fromReal = masked(real.connect().exchange(body, origin));
      String fromTest = masked(test.connect().exchange(body, origin));
      // The table with the real answers, for the report and for reading what real AnkiConnect says.
      System.out.println(line + "\n  -> " + fromReal);
      soft.assertThat(fromTest).as("%s%s", origin == null ? "" : "Origin " + origin + ": ", body).isEqualTo(fromReal);
    }
    soft.assertAll();
    assertThat(real.sigterm()).as(real.sup.log()).isZero();
    assertThat(test.sigterm()).as(test.sup.log()).isZero();
  }

  /** No sync of the supervisor's own between the table's requests; config API on, small cap. */
  private RealAnkiRun configured(RealAnkiRun run, RealAnkiSyncServer server, String user, String password) throws Exception {
    open.add(run);
    run.sync(server, user, password, "0");
    run.sup.args("--no-sync-on-start", "--config-api-enable", "--config-api-prefix", "itest.",
        "--config-api-max-bytes", "64");
    return run;
  }

  /** Ids of new objects (millisecond timestamps) differ between two collections. */
  private static String masked(String answer) {
    return answer.replaceAll("\\b1\\d{12}\\b", "<id>");
  }
}
