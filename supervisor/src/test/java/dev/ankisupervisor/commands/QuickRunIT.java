package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run}'s quick path ({@link QuickRun}) through the shaded jar as a real process: a command line
 * the quick parse takes runs without loading one picocli class, and logs, prints and exits what
 * picocli's path does for the same settings (forced here by {@code --ipv6=false}, a form only picocli
 * takes). The run waits for a bind address no interface has, then gives up (75).
 */
class QuickRunIT {
  @TempDir Path dir;

  private JarCommand.Result run(String classLog, String... more) throws IOException, InterruptedException {
    return new JarCommand("run", "--bind", "192.0.2.1", "--network-timeout", "1s", "--base", dir.resolve("base").toString(),
        "--state-dir", dir.resolve("state").toString(), "--status-file", dir.resolve("state/status.json").toString(),
        "--anki-command", "/bin/false", "--profile", "alice")
        .args(more)
        .jvm("-Xlog:class+load:file=" + dir.resolve(classLog))
        // a misspelt variable and a shadowed one: run warns about both
        .env("ANKI_SUPERVISOR_LIVENES_MISSES", "3").env("ANKI_SUPERVISOR_PROFILE", "bob")
        .run();
  }

  /** The log's lines without their timestamps and the start-up timing line (its figures vary). */
  private static List<String> logLines(String out) {
    return out.lines().filter(l -> !l.contains("start-up timing")).map(l -> l.replaceFirst("^\\S+ ", "")).toList();
  }

  private List<String> picocliClasses(String classLog) throws IOException {
    return Files.readAllLines(dir.resolve(classLog)).stream().filter(l -> l.contains(" picocli.")).toList();
  }

  @Test
  void runsWithoutPicocliAndEndsAsPicocliWould() throws Exception {
    JarCommand.Result quick = run("quick-classes.txt");
    JarCommand.Result picocli = run("picocli-classes.txt", "--ipv6=false");

    assertThat(quick.exit()).as("%s", quick).isEqualTo(ExitCode.NETWORK_NOT_READY.code()).isEqualTo(picocli.exit());
    assertThat(quick.err()).as("%s", quick).startsWith("run: bind address not ready after 1s").isEqualTo(picocli.err());
    assertThat(logLines(quick.out())).isEqualTo(logLines(picocli.out()))
        .anySatisfy(l -> assertThat(l).contains("ANKI_SUPERVISOR_LIVENES_MISSES names no setting of `run`"))
        .anySatisfy(l -> assertThat(l).contains("ANKI_SUPERVISOR_PROFILE is ignored"));
    assertThat(picocliClasses("quick-classes.txt")).as("picocli classes loaded by the quick path").isEmpty();
    assertThat(picocliClasses("picocli-classes.txt")).as("the other path's (this test's control)").isNotEmpty();
  }
}
