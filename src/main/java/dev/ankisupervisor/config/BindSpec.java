package dev.ankisupervisor.config;

import java.net.InetAddress;
import java.util.Objects;

/** Where AnkiConnect must bind: the Tailscale interface's address, or a fixed address (A1, A3). */
public sealed interface BindSpec {
  /** Wait until {@code iface} holds an address in 100.64.0.0/10 (or fd7a:115c:a1e0::/48 with ipv6). */
  record Tailscale(String iface, boolean ipv6) implements BindSpec {
    public Tailscale {
      Objects.requireNonNull(iface, "iface");
    }
  }

  /** Wait until this exact address is assigned to some interface. */
  record Fixed(InetAddress address) implements BindSpec {
    public Fixed {
      Objects.requireNonNull(address, "address");
    }
  }
}
