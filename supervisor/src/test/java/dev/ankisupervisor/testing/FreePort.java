package dev.ankisupervisor.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Finds a TCP port nobody listens on right now, for a test to bind a moment later. Any thread.
 *
 * <p>A port the kernel picks for {@code bind(0)} comes from its ephemeral range, the same range it
 * draws the source ports of outgoing connections from, so between finding and binding, any client
 * on the machine (a sync, a probe in another fork) could take it. The ports here lie below that
 * range (below {@code net.ipv4.ip_local_port_range}'s first value), each failsafe fork draws from
 * its own slice ({@code -Dtest.fork=fork<N>}, set from {@code surefire.forkNumber}), and a port is never
 * handed out twice by one JVM.
 */
public final class FreePort {
  private static final int LOWEST = 10_000;
  private static final int SLICES = 4;
  private static final Set<Integer> HANDED_OUT = new HashSet<>();

  private FreePort() {}

  public static synchronized int find() {
    int ephemeralStart = ephemeralRangeStart();
    int sliceSize = (ephemeralStart - LOWEST) / SLICES;
    if (sliceSize < 100) {
      return kernelPicked();
    }
    int from = LOWEST + Math.floorMod(forkNumber(System.getProperty("test.fork", "")), SLICES) * sliceSize;
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = from + ThreadLocalRandom.current().nextInt(sliceSize);
      if (!HANDED_OUT.contains(port) && bindable(port)) {
        HANDED_OUT.add(port);
        return port;
      }
    }
    return kernelPicked();
  }

  /**
   * The failsafe fork's number from {@code -Dtest.fork=fork<N>}; 1 outside failsafe. The pom gives
   * it a prefix because a value that is only {@code ${surefire.forkNumber}} reaches the fork empty.
   */
  static int forkNumber(String value) {
    String digits = value.startsWith("fork") ? value.substring(4) : value;
    try {
      return Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  private static boolean bindable(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int kernelPicked() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free TCP port on 127.0.0.1: " + e.getMessage(), e);
    }
  }

  /**
   * A sysctl file's text. Not Files.readString: for a file whose size reads as 0, it returned only the
   * first byte of /proc/sys files here (JDK 17.0.15); a plain stream read gets all of it.
   */
  static String sysctl(String file) throws IOException {
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
  }

  /** The first port of the kernel's ephemeral range; 32768 (Linux's default) when unreadable. */
  private static int ephemeralRangeStart() {
    try {
      return Integer.parseInt(sysctl("/proc/sys/net/ipv4/ip_local_port_range").trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }
}
