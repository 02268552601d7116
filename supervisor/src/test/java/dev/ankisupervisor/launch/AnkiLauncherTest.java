package dev.ankisupervisor.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ankisupervisor.config.AnkiSettings;
import dev.ankisupervisor.os.ExitStatus;
import dev.ankisupervisor.os.Signals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real small processes (sh, sleep) started in their own process group. */
class AnkiLauncherTest {
  @TempDir Path dir;
  private RunningAnki running;

  @AfterEach
  void killEverything() throws Exception {
    if (running != null) {
      running.killTree();
      running.awaitGroupGone(Duration.ofSeconds(30));
    }
  }

  private ChildSpec sh(String script, Map<String, String> env) {
    return new ChildSpec(List.of("sh", "-c", script), env, dir, dir.resolve("tmp/instance-1"));
  }

  @Test
  void theChildLeadsItsOwnGroupGetsExactlyItsEnvAndRelaysLines() throws Exception {
    List<String> out = Collections.synchronizedList(new ArrayList<>());
    List<String> err = Collections.synchronizedList(new ArrayList<>());
    ChildSpec spec = sh("env | sort; echo oops >&2; exec sleep 600", Map.of("PATH", System.getenv("PATH"), "TMPDIR",
        dir.resolve("tmp/instance-1").toString(), "QT_QPA_PLATFORM", "offscreen"));

    running = new AnkiLauncher().start(spec, out::add, err::add);

    await().atMost(30, TimeUnit.SECONDS).until(() -> out.size() >= 3 && !err.isEmpty());
    assertThat(err).containsExactly("oops");
    assertThat(out).contains("QT_QPA_PLATFORM=offscreen", "TMPDIR=" + dir.resolve("tmp/instance-1"))
        .noneMatch(l -> l.startsWith("HOME=") || l.startsWith("DISPLAY="));
    // setsid exec'd without forking: the pid we hold IS the program, and it leads group and session
    String stat = Files.readString(Path.of("/proc/" + running.pid() + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    assertThat(Long.parseLong(f[2])).as("pgrp").isEqualTo(running.pid());
    assertThat(Long.parseLong(f[3])).as("session").isEqualTo(running.pid());
    assertThat(Long.parseLong(f[19])).as("start ticks").isEqualTo(running.identity().startTicks());
    assertThat(running.isSameProcess()).isTrue();
    assertThat(Files.getPosixFilePermissions(dir.resolve("tmp/instance-1"))).isEqualTo(PosixFilePermissions.fromString("rwx------"));
  }

  @Test
  void theSupervisorsOwnVariablesNeverReachAnkisEnvironment() throws Exception {
    // Anki's spec, as the supervisor makes it; the "Anki" is sh waiting (-b and -p become $1..$4).
    AnkiSettings anki = new AnkiSettings(dir.resolve("base"), "server", "", List.of("sh", "-c", "exec sleep 600", "sh"),
        AnkiSettings.ANKICONNECT_ADDON_ID);
    Map<String, String> parent = new HashMap<>(Map.of("PATH", System.getenv("PATH"), "HOME", "/var/lib/anki",
        "ANKI_SUPERVISOR_STATE_DIR", "/var/lib/anki", "ANKI_SUPERVISOR_SYNC_PASSWORD_FILE", "/run/credentials/p",
        "ANKI_SUPERVISOR_JAVA_OPTS", "-Xmx64m", "LISTEN_FDS", "1", "ANKI_STANDIN_PATCHES", "headless-sync"));
    Files.createDirectories(dir.resolve("base"));
    ChildSpec spec = AnkiChildSpecs.forAnki(anki, parent, dir.resolve("state/anki-tmp"), false);

    running = new AnkiLauncher().start(spec, line -> { }, line -> { });

    // What the kernel gave the running child, not what the spec says.
    Path environ = Path.of("/proc/" + running.pid() + "/environ");
    await().atMost(30, TimeUnit.SECONDS).until(() -> List.of(Files.readString(environ).split("\0")).contains("HOME=/var/lib/anki"));
    List<String> names = List.of(Files.readString(environ).split("\0")).stream().map(v -> v.split("=", 2)[0]).toList();
    assertThat(names).contains("PATH", "HOME", "QT_QPA_PLATFORM", "TMPDIR", "ANKI_STANDIN_PATCHES")
        .noneMatch(n -> n.startsWith("ANKI_SUPERVISOR_") || n.startsWith("LISTEN_"));
  }

  @Test
  void sigtermEndsTheChildAndTheExitReportsTheSignal() throws Exception {
    running = new AnkiLauncher().start(sh("exec sleep 600", Map.of("PATH", System.getenv("PATH"))), l -> {}, l -> {});

    assertThat(running.signal(Signals.SIGTERM)).isTrue();

    ExitStatus status = running.onExit().get(30, TimeUnit.SECONDS);
    assertThat(status).isEqualTo(ExitStatus.killedBy(15));
    assertThat(running.isSameProcess()).isFalse();
    assertThat(running.signal(Signals.SIGTERM)).as("no signal to a gone process").isFalse();
  }

  @Test
  void killTreeLeavesNoProcessOfTheGroupEvenWhenChildrenOutliveTheParent() throws Exception {
    List<String> out = Collections.synchronizedList(new ArrayList<>());
    // a parent with two helpers, one of which ignores SIGTERM (like QtWebEngineProcess outliving Anki)
    running = new AnkiLauncher().start(sh("sleep 600 & (trap '' TERM; sleep 600) & echo started; wait",
        Map.of("PATH", System.getenv("PATH"))), out::add, l -> {});
    await().atMost(30, TimeUnit.SECONDS).until(() -> out.contains("started") && running.groupMembers().size() >= 3);

    running.killTree();

    assertThat(running.awaitGroupGone(Duration.ofSeconds(30))).isTrue();
    assertThat(running.groupMembers()).isEmpty();
    assertThat(running.onExit().get(30, TimeUnit.SECONDS)).isEqualTo(ExitStatus.killedBy(9));
  }

  @Test
  void killTreeSaysWhetherAnythingWasLeftToKill() throws Exception {
    // a child that leaves a helper in its group: something to kill, and to wait for
    running = new AnkiLauncher().start(sh("sleep 600 & echo started; wait", Map.of("PATH", System.getenv("PATH"))),
        l -> { }, l -> { });
    await().atMost(30, TimeUnit.SECONDS).until(() -> running.groupMembers().size() == 2);
    assertThat(running.killTree()).isTrue();
    assertThat(running.awaitGroupGone(Duration.ofSeconds(30))).isTrue();
    // a child that died alone (a crash): nothing left, nothing to signal or wait for
    running = new AnkiLauncher().start(sh("exit 3", Map.of("PATH", System.getenv("PATH"))), l -> { }, l -> { });
    assertThat(running.onExit().get(30, TimeUnit.SECONDS).exitCode()).hasValue(3);
    assertThat(running.killTree()).isFalse();
    assertThat(running.groupMembers()).isEmpty();
  }
}
