package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ankisupervisor.testing.RealAnkiResources;
import dev.ankisupervisor.testing.RealAnkiVenv;
import dev.ankisupervisor.testing.StandInAnkiProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Real Anki under {@code run} started where a home server may start it: in a network namespace with
 * only loopback up (no route to the Internet: Anki must not hang at start-up waiting for one), with
 * a read-only {@code HOME} (a read-only tmpfs mounted over it, which binds root too) and without
 * {@code XDG_RUNTIME_DIR}; as root and as a system user. Anki becomes ready, keeps answering the
 * liveness probe, and stops cleanly. Needs root (namespaces, mounts).
 */
class RealAnkiHostileStartIT {
  /** Brings loopback up, mounts the read-only HOME, drops XDG_RUNTIME_DIR, then execs the rest. */
  private static final String SETUP = "ip link set lo up && mount -t tmpfs -o ro,mode=0555 tmpfs \"$HOME\""
      + " && unset XDG_RUNTIME_DIR && exec \"$@\"";

  @RegisterExtension static final RealAnkiResources real = new RealAnkiResources();

  @TempDir Path dir;
  private RealAnkiRun run;

  @BeforeAll
  static void needsRealAnkiAndRoot() {
    assumeTrue(StandInAnkiProcess.isRoot(), "a network and a mount namespace need the tests to run as root");
  }

  @ParameterizedTest
  @EnumSource(RealAnkiRun.As.class)
  void onlyLoopbackAReadOnlyHomeAndNoRuntimeDirAnkiIsReadyAndStaysReady(RealAnkiRun.As as) throws Exception {
    Path home = dir.resolve("home");
    Files.createDirectories(home);
    run = real.closeAfterTest(new RealAnkiRun(dir, real.venv(), as));
    run.sup.env("HOME", home.toString()).args("--no-sync-on-start", "--sync-interval", "0")
        .prefixFirst("unshare", "--net", "--mount", "--", "sh", "-c", SETUP, "sh");
    run.start();
    run.awaitReady(1);
    Instant ready = Instant.now();
    // Still answering: liveness probes (every 1 s) after the ready, no restart.
    Path status = run.sup.stateDir.resolve("sync-status.json");
    await().atMost(RealAnkiVenv.BOUND).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
      JsonNode s = new ObjectMapper().readTree(status.toFile());
      return Instant.parse(s.at("/ankiConnect/lastProbeAt").asText()).isAfter(ready.plusSeconds(3));
    });
    JsonNode s = new ObjectMapper().readTree(status.toFile());
    assertThat(s.at("/supervisor/state").asText()).as(run.sup.log()).isEqualTo("ready");
    assertThat(s.at("/anki/restarts").asInt()).as(run.sup.log()).isZero();
    assertThat(Files.list(home)).as("nothing could be written into the read-only HOME").isEmpty();
    assertThat(run.sigterm()).as(run.sup.log()).isZero();
    run.assertCollectionClosed();
    run.assertNothingLeft();
  }

  @Test
  void withoutAUsableLibGlTheCrashLoopNamesIt() throws Exception {
    // libGL.so.1 made unusable in a mount namespace of its own: real Anki's Qt import fails and it
    // exits 1 at once (C4); the supervisor's final message must name the library, not guess.
    String hideLibGl = "mount --bind /dev/null \"$(readlink -f /usr/lib/x86_64-linux-gnu/libGL.so.1)\" && exec \"$@\"";
    run = real.closeAfterTest(new RealAnkiRun(dir, real.venv(), RealAnkiRun.As.ROOT));
    run.sup.set("--max-restarts", "1").args("--no-sync-on-start", "--sync-interval", "0")
        .prefixFirst("unshare", "--mount", "--", "sh", "-c", hideLibGl, "sh");
    run.start();
    assertThat(run.sup.process().waitFor(RealAnkiVenv.BOUND.toSeconds(), TimeUnit.SECONDS)).as(run.sup.log()).isTrue();
    assertThat(run.sup.process().exitValue()).as(run.sup.log()).isEqualTo(69);
    assertThat(run.sup.log()).contains("Anki cannot load libGL.so.1", "apt-get install libgl1");
  }
}
