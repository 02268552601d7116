package dev.ankisupervisor.commands;

import dev.ankisupervisor.config.BindSpec;
import dev.ankisupervisor.config.ConnectSettings;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Where AnkiConnect listens: {@code --bind}, {@code --tailscale-interface}, {@code --ipv6},
 * {@code --allow-wildcard-bind}, {@code --connect-port}. Parsed by one rule ({@link BindSpec#parse})
 * for {@code run}, {@code prepare}, {@code config} and {@code doctor} alike.
 */
final class ConnectOptions {
  static final Flag<String> BIND = Flag.text("--bind", "tailscale|ADDRESS",
      "Where AnkiConnect binds: `tailscale` waits for the Tailscale address of --tailscale-interface;"
          + " ADDRESS (an IP literal, no host name) waits until that IP is assigned.").withDefault(BindSpec.TAILSCALE);

  static final Flag<String> TAILSCALE_INTERFACE = Flag.text("--tailscale-interface", "IFACE",
      "The interface holding the Tailscale address (100.64.0.0/10).").withDefault("tailscale0");

  static final Flag<Boolean> IPV6 = Flag.toggle("--ipv6",
      "With --bind tailscale, use the Tailscale IPv6 address (fd7a:115c:a1e0::/48). Default: off.");

  static final Flag<Boolean> ALLOW_WILDCARD_BIND = Flag.toggle("--allow-wildcard-bind",
      "Allow --bind 0.0.0.0 or :: (exposes AnkiConnect on every network). Default: off.");

  static final Flag<Integer> PORT = Flag.number("--connect-port", "PORT",
      "AnkiConnect's port (webBindPort).").withDefault("8765");

  static final List<Flag<?>> FLAGS = List.of(BIND, TAILSCALE_INTERFACE, IPV6, ALLOW_WILDCARD_BIND, PORT);

  private static final String[] BIND_FLAGS = {BIND.name(), TAILSCALE_INTERFACE.name(), IPV6.name(),
      ALLOW_WILDCARD_BIND.name()};

  private ConnectOptions() {}

  /** The bind rule; 64 or 78 by where the values came from ({@code spec} null: as from flags). */
  static BindSpec bindSpec(FlagValues values, CommandSpec spec) {
    return SettingsCheck.checked(spec, () -> BindSpec.parse(values.get(BIND), values.get(TAILSCALE_INTERFACE),
        values.get(IPV6), values.get(ALLOW_WILDCARD_BIND)), BIND_FLAGS);
  }

  /** The port rule; 64 or 78 by where the value came from. */
  static int port(FlagValues values, CommandSpec spec) {
    return SettingsCheck.checked(spec, () -> ConnectSettings.checkPort(values.get(PORT)), PORT.name());
  }
}
