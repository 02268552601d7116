package dev.ankisupervisor.prepare;

import dev.ankisupervisor.config.BindSpec;
import dev.ankisupervisor.os.Sleeper;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits until AnkiConnect's bind address exists and can be bound (A3: binding an
 * address not yet assigned ends in a dialog). {@link BindSpec.Tailscale}: the interface holds an
 * address in 100.64.0.0/10 (or, with ipv6, in fd7a:115c:a1e0::/48); {@link BindSpec.Fixed}: that
 * exact address is on some interface (a wildcard address needs no interface). Either way a test
 * bind (port 0) must work. Polls with backoff from 100 ms doubling to 5 s.
 *
 * <p>Blocking; call from one thread at a time (the supervisor's start-up path). Time goes through the
 * injected {@link Sleeper}, so tests run instantly.
 */
public final class BindAddressWaiter {
  static final Duration FIRST_DELAY = Duration.ofMillis(100);
  static final Duration MAX_DELAY = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(BindAddressWaiter.class);

  private final InterfaceSource interfaces;
  private final Sleeper sleeper;

  /** The real interfaces and clock. */
  public BindAddressWaiter() {
    this(InterfaceSource.system(), Sleeper.system());
  }

  public BindAddressWaiter(InterfaceSource interfaces, Sleeper sleeper) {
    this.interfaces = Objects.requireNonNull(interfaces, "interfaces");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
  }

  /**
   * Waits for the address.
   *
   * @param progress gets one line per unsuccessful poll ("waiting for tailscale0: interface
   *     tailscale0 not found; next check in 400ms"), for STATUS= and EXTEND_TIMEOUT_USEC; called on
   *     this thread
   * @return the address to bind
   * @throws NetworkNotReadyException when {@code timeout} passes, naming the interface and what was found
   */
  public InetAddress await(BindSpec spec, Duration timeout, Consumer<String> progress)
      throws NetworkNotReadyException, InterruptedException {
    long start = sleeper.nanos();
    long deadline = start + timeout.toNanos();
    Duration delay = FIRST_DELAY;
    while (true) {
      Lookup found = lookUp(spec);
      if (found.address().isPresent()) {
        LOG.info("bind address {} is ready ({})", found.address().get().getHostAddress(), describe(spec));
        return found.address().get();
      }
      long left = deadline - sleeper.nanos();
      if (left <= 0) {
        throw new NetworkNotReadyException("bind address not ready after " + timeout.toSeconds() + "s: "
            + found.problem() + " (AnkiConnect cannot bind an absent address); "
            + hint(spec));
      }
      Duration sleep = delay.toNanos() < left ? delay : Duration.ofNanos(left);
      progress.accept("waiting for " + describe(spec) + ": " + found.problem() + "; next check in " + sleep.toMillis() + "ms");
      sleeper.sleep(sleep);
      delay = delay.multipliedBy(2).compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay.multipliedBy(2);
    }
  }

  /** The address to bind now, or empty when it is not there (or not bindable): for "address changed?" checks. */
  public Optional<InetAddress> current(BindSpec spec) {
    return lookUp(spec).address();
  }

  /** One poll: the bindable address, or the problem in words. */
  private Lookup lookUp(BindSpec spec) {
    if (spec instanceof BindSpec.Tailscale t) {
      Optional<List<InetAddress>> addrs = interfaces.addressesOf(t.iface());
      if (addrs.isEmpty()) {
        return Lookup.missing("interface " + t.iface() + " not found");
      }
      Optional<InetAddress> match = addrs.get().stream().filter(a -> isTailscale(a, t.ipv6())).findFirst();
      if (match.isEmpty()) {
        String have = addrs.get().isEmpty() ? "no address"
            : addrs.get().stream().map(BindAddressWaiter::text).collect(Collectors.joining(", "));
        return Lookup.missing(t.iface() + " has " + have + ", none in " + (t.ipv6() ? "fd7a:115c:a1e0::/48" : "100.64.0.0/10"));
      }
      return bindable(match.get());
    }
    InetAddress wanted = ((BindSpec.Fixed) spec).address();
    if (!wanted.isAnyLocalAddress() && interfaces.allAddresses().stream().noneMatch(a -> covers(a, wanted))) {
      return Lookup.missing(text(wanted) + " is not assigned to any interface");
    }
    return bindable(wanted);
  }

  private Lookup bindable(InetAddress address) {
    Optional<String> error = interfaces.tryBind(address);
    return error.isEmpty() ? new Lookup(Optional.of(address), "")
        : Lookup.missing("a test bind on " + text(address) + " failed: " + error.get());
  }

  /** 100.64.0.0/10 (Tailscale's CGNAT range) or, with ipv6, fd7a:115c:a1e0::/48. */
  static boolean isTailscale(InetAddress a, boolean ipv6) {
    byte[] b = a.getAddress();
    if (ipv6) {
      return a instanceof Inet6Address && (b[0] & 0xff) == 0xfd && (b[1] & 0xff) == 0x7a && (b[2] & 0xff) == 0x11
          && (b[3] & 0xff) == 0x5c && (b[4] & 0xff) == 0xa1 && (b[5] & 0xff) == 0xe0;
    }
    return a instanceof Inet4Address && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
  }

  /**
   * Whether an interface holding {@code assigned} answers {@code wanted}: the same address, or any
   * address of 127.0.0.0/8 once loopback has one (Linux routes the whole /8 to lo, so 127.0.0.2 is
   * bindable though only 127.0.0.1 is listed).
   */
  static boolean covers(InetAddress assigned, InetAddress wanted) {
    if (assigned instanceof Inet4Address && wanted instanceof Inet4Address && assigned.isLoopbackAddress()
        && wanted.isLoopbackAddress()) {
      return true;
    }
    return java.util.Arrays.equals(assigned.getAddress(), wanted.getAddress());
  }

  private static String text(InetAddress a) {
    String s = a.getHostAddress();
    int zone = s.indexOf('%');
    return zone >= 0 ? s.substring(0, zone) : s;
  }

  private static String describe(BindSpec spec) {
    return spec instanceof BindSpec.Tailscale t ? "interface " + t.iface() : "address " + text(((BindSpec.Fixed) spec).address());
  }

  private static String hint(BindSpec spec) {
    return spec instanceof BindSpec.Tailscale
        ? "start Tailscale (tailscale up), set --tailscale-interface, or raise --network-timeout"
        : "assign the address, change --bind, or raise --network-timeout";
  }

  private record Lookup(Optional<InetAddress> address, String problem) {
    static Lookup missing(String problem) {
      return new Lookup(Optional.empty(), problem);
    }
  }
}
