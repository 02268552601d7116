package dev.ankisupervisor.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/** Where AnkiConnect must bind: the Tailscale interface's address, or a fixed address (A1, A3). */
public sealed interface BindSpec {
  /** The {@code --bind} value that means "the Tailscale address" (any case). */
  String TAILSCALE = "tailscale";

  /** Wait until {@code iface} holds an address in 100.64.0.0/10 (or fd7a:115c:a1e0::/48 with ipv6). */
  record Tailscale(String iface, boolean ipv6) implements BindSpec {
    public Tailscale {
      Objects.requireNonNull(iface, "iface");
      if (iface.isBlank() || iface.chars().anyMatch(c -> c <= ' ' || c == '/')) {
        throw new IllegalArgumentException("--tailscale-interface '" + iface + "' is not an interface name;"
            + " give e.g. tailscale0 (see `ip link`)");
      }
    }
  }

  /** Wait until this exact address is assigned to some interface. */
  record Fixed(InetAddress address) implements BindSpec {
    public Fixed {
      Objects.requireNonNull(address, "address");
    }
  }

  /**
   * The one rule for a {@code --bind} value, for every command that takes it ({@code run},
   * {@code prepare}, {@code config}, {@code doctor}): {@code tailscale} in any case, or an IP literal
   * (IPv6 with or without brackets). Host names are refused, not resolved: a name that resolves
   * differently later would bind AnkiConnect somewhere else. A wildcard address (0.0.0.0, ::) only
   * with {@code allowWildcard}: it exposes AnkiConnect on every network.
   *
   * @throws IllegalArgumentException naming the value and the fix
   */
  static BindSpec parse(String bind, String tailscaleInterface, boolean ipv6, boolean allowWildcard) {
    String b = Objects.requireNonNull(bind, "bind").strip();
    if (b.toLowerCase(Locale.ROOT).equals(TAILSCALE)) {
      return new Tailscale(tailscaleInterface, ipv6);
    }
    String literal = b.startsWith("[") && b.endsWith("]") ? b.substring(1, b.length() - 1) : b;
    if (!Literal.IPV4.matcher(literal).matches() && !Literal.IPV6.matcher(literal).matches()) {
      throw new IllegalArgumentException("--bind '" + bind + "' is neither `tailscale` nor an IP address;"
          + " give an address such as 100.64.0.1 (host names are not resolved)");
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(literal); // an IP literal: no name lookup happens
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--bind '" + bind + "' is not a valid IP address; give e.g. 100.64.0.1");
    }
    Fixed fixed = new Fixed(address);
    checkWildcard(fixed, allowWildcard);
    return fixed;
  }

  /** Refuses 0.0.0.0 / :: unless allowed (the one place this rule is stated). */
  static void checkWildcard(BindSpec bind, boolean allowWildcard) {
    if (bind instanceof Fixed f && f.address().isAnyLocalAddress() && !allowWildcard) {
      throw new IllegalArgumentException("refusing wildcard bind address " + f.address().getHostAddress()
          + ": it exposes AnkiConnect on every network; bind the Tailscale address or pass --allow-wildcard-bind");
    }
  }

  /** The shapes of IP literals (the JDK's parser alone would resolve anything else as a host name). */
  final class Literal {
    static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    /** Hex groups and colons, optionally ending in an IPv4 part, optionally a zone (%eth0). */
    static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*(%[\\w.-]+)?");

    private Literal() {}
  }
}
