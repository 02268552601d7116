package dev.ankisupervisor.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortTest {
  @Test
  void portsAreBindableDistinctAndBelowTheEphemeralRange() throws Exception {
    int ephemeralStart = Integer.parseInt(
        FreePort.sysctl("/proc/sys/net/ipv4/ip_local_port_range").trim().split("\\s+")[0]);
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      int port = FreePort.find();
      assertThat(port).isBetween(10_000, ephemeralStart - 1);
      assertThat(seen.add(port)).as("port %d handed out twice", port).isTrue();
      try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        assertThat(s.getLocalPort()).isEqualTo(port);
      }
    }
  }

  @Test
  void eachFailsafeForkHasItsOwnNumber() {
    assertThat(FreePort.forkNumber("fork2")).isEqualTo(2);
    assertThat(FreePort.forkNumber("fork1")).isEqualTo(1);
    assertThat(FreePort.forkNumber("")).isEqualTo(1);
    assertThat(FreePort.forkNumber("fork")).isEqualTo(1);
  }
}
