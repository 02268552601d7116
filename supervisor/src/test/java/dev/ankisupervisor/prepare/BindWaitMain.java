package dev.ankisupervisor.prepare;

import dev.ankisupervisor.config.BindSpec;
import java.net.InetAddress;
import java.time.Duration;

/**
 * Test program run inside a network namespace by {@link BindAddressWaiterNetnsIT}: waits for
 * {@code args[0]} to get a Tailscale address (real NetworkInterface, real test bind) and prints
 * "progress: ..." lines, then "ready ADDRESS" (exit 0) or "not-ready MESSAGE" (exit 75).
 */
public final class BindWaitMain {
  private BindWaitMain() {}

  public static void main(String[] args) throws Exception {
    try {
      InetAddress a = new BindAddressWaiter().await(new BindSpec.Tailscale(args[0], false),
          Duration.ofSeconds(Long.parseLong(args[1])), line -> System.out.println("progress: " + line));
      System.out.println("ready " + a.getHostAddress());
      System.exit(0);
    } catch (NetworkNotReadyException e) {
      System.out.println("not-ready " + e.getMessage());
      System.exit(75);
    }
  }
}
