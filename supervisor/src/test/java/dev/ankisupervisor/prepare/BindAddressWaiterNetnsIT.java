package dev.ankisupervisor.prepare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bind-address wait against a real interface in a network namespace of its own
 * (A3). Needs root and `ip netns`; skipped otherwise. The interface is an `ifb` device named
 * tailscale0 (this kernel has no `dummy` module; for the waiter any interface type is the same).
 */
class BindAddressWaiterNetnsIT {
  private final String ns = "h2-" + UUID.randomUUID().toString().substring(0, 8);
  private Process waiter;

  @BeforeEach
  void makeNamespace() throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root for ip netns");
    Assumptions.assumeTrue(ip("netns", "add", ns) == 0, "ip netns add failed");
    ip("netns", "exec", ns, "ip", "link", "set", "lo", "up");
  }

  @AfterEach
  void dropNamespace() throws Exception {
    if (waiter != null) {
      waiter.destroyForcibly();
      waiter.waitFor(30, TimeUnit.SECONDS);
    }
    ip("netns", "del", ns);
  }

  @Test
  void waitsUntilATailscaleAddressAppearsOnARealInterface() throws Exception {
    List<String> out = start("60");
    await().atMost(60, TimeUnit.SECONDS).until(() -> out.stream().anyMatch(l -> l.contains("interface tailscale0 not found")));

    assertThat(ip("netns", "exec", ns, "ip", "link", "add", "tailscale0", "type", "ifb")).isZero();
    assertThat(ip("netns", "exec", ns, "ip", "link", "set", "tailscale0", "up")).isZero();
    await().atMost(60, TimeUnit.SECONDS).until(() -> out.stream().anyMatch(l -> l.contains("tailscale0 has")));
    assertThat(ip("netns", "exec", ns, "ip", "addr", "add", "100.100.7.7/32", "dev", "tailscale0")).isZero();

    assertThat(waiter.waitFor(60, TimeUnit.SECONDS)).isTrue();
    await().atMost(10, TimeUnit.SECONDS).until(() -> out.contains("ready 100.100.7.7"));
    assertThat(waiter.exitValue()).isZero();
  }

  @Test
  void timesOutWithOneLineNamingTheInterface() throws Exception {
    List<String> out = start("2");

    assertThat(waiter.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(waiter.exitValue()).isEqualTo(75);
    await().atMost(10, TimeUnit.SECONDS).until(() -> out.stream().anyMatch(l -> l.startsWith("not-ready ")));
    assertThat(out).anyMatch(l -> l.startsWith("not-ready bind address not ready after 2s: interface tailscale0 not found"));
  }

  private List<String> start(String timeoutSeconds) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    waiter = new ProcessBuilder("ip", "netns", "exec", ns, java, "-cp", System.getProperty("java.class.path"),
        BindWaitMain.class.getName(), "tailscale0", timeoutSeconds).redirectErrorStream(true).start();
    List<String> out = Collections.synchronizedList(new ArrayList<>());
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(waiter.getInputStream(), StandardCharsets.UTF_8))) {
        String l;
        while ((l = r.readLine()) != null) {
          out.add(l);
        }
      } catch (IOException e) {
        out.add("read failed: " + e);
      }
    }, "netns-waiter-output");
    t.setDaemon(true);
    t.start();
    return out;
  }

  private static int ip(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("ip"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
  }
}
