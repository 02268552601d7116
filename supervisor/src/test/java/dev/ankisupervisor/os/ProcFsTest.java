package dev.ankisupervisor.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcFsTest {
  @TempDir Path root;

  private void process(long pid, String stat, byte[] cmdline) throws Exception {
    Path dir = Files.createDirectories(root.resolve(Long.toString(pid)));
    Files.writeString(dir.resolve("stat"), stat);
    Files.write(dir.resolve("cmdline"), cmdline);
  }

  @Test
  void readsIdentityFromStatWithAnAwkwardCommandNameAndCmdline() throws Exception {
    Files.writeString(root.resolve("stat"), "cpu 1 2 3\nbtime 1764140000\nprocesses 5\n");
    // comm "(we) ird)" holds a space and parentheses: fields are counted after the last ')'
    process(4242, "4242 ((we) ird)) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 3 0 12345 1000 50",
        "python3\0-m\0http.server\0".getBytes(StandardCharsets.UTF_8));
    process(77, "77 (zombie) Z 4242 4242 4242 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 999 0 0", new byte[0]);

    ProcFs proc = new ProcFs(root);

    assertThat(proc.identity(4242)).hasValueSatisfying(p -> {
      assertThat(p.startTicks()).isEqualTo(12345);
      assertThat(p.startedAt()).isEqualTo(Instant.ofEpochSecond(1764140000).plusMillis(123450));
      assertThat(p.cmdline()).containsExactly("python3", "-m", "http.server");
      // btime 1764140000 is 06:53:20 UTC; + 123.45 s
      assertThat(p.describe()).isEqualTo("pid 4242 (python3 -m http.server, started 06:55 UTC)");
    });
    assertThat(proc.processGroup(4242)).contains(4242L);
    assertThat(proc.parent(77)).contains(4242L);
    assertThat(proc.isZombie(77)).isTrue();
    assertThat(proc.isZombie(4242)).isFalse();
    assertThat(proc.identity(5)).isEmpty();
    assertThat(proc.pids()).containsExactlyInAnyOrder(4242L, 77L);
  }

  @Test
  void ageIsUptimeMinusTheStartTicksToTheMillisecond() throws Exception {
    // started 123.45 s after boot; now 130.07 s after boot: 6.62 s ago
    process(4242, "4242 (java) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 3 0 12345 1000 50", new byte[0]);
    Files.writeString(root.resolve("uptime"), "130.07 250.31\n");

    ProcFs proc = new ProcFs(root);

    assertThat(proc.age(4242)).contains(java.time.Duration.ofMillis(6620));
    assertThat(proc.age(5)).as("no such process").isEmpty();
    Files.delete(root.resolve("uptime"));
    assertThat(proc.age(4242)).as("no /proc/uptime").isEmpty();
  }

  @Test
  void ageOfThisProcessIsPositiveAndBelowTheJvmUptimePlusAMargin() {
    long pid = ProcessHandle.current().pid();
    long jvmUpMs = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();

    assertThat(ProcFs.system().age(pid)).hasValueSatisfying(age ->
        // the process began before the JVM's clock started, by the exec and JVM creation (under a second)
        assertThat(age.toMillis()).isGreaterThanOrEqualTo(jvmUpMs - 20).isLessThan(jvmUpMs + 60_000));
  }
}
