package dev.ankisupervisor.commands;

import dev.ankisupervisor.config.BindSpec;
import dev.ankisupervisor.config.ConnectSettings;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * Where AnkiConnect listens: {@code --bind}, {@code --tailscale-interface}, {@code --ipv6},
 * {@code --allow-wildcard-bind}, {@code --connect-port}. A picocli mixin, parsed by one rule
 * ({@link BindSpec#parse}) for {@code run}, {@code prepare}, {@code config} and {@code doctor} alike.
 */
final class ConnectOptions {
  static final String[] BIND_FLAGS = {"--bind", "--tailscale-interface", "--ipv6", "--allow-wildcard-bind"};

  @Option(names = "--bind", paramLabel = "tailscale|ADDRESS", defaultValue = BindSpec.TAILSCALE,
      description = "Where AnkiConnect binds: `tailscale` waits for the Tailscale address of --tailscale-interface;"
          + " ADDRESS (an IP literal, no host name) waits until that IP is assigned.")
  String bind;

  @Option(names = "--tailscale-interface", paramLabel = "IFACE", defaultValue = "tailscale0",
      description = "The interface holding the Tailscale address (100.64.0.0/10).")
  String tailscaleInterface;

  @Option(names = "--ipv6", defaultValue = "false",
      description = "With --bind tailscale, use the Tailscale IPv6 address (fd7a:115c:a1e0::/48). Default: off.")
  boolean ipv6;

  @Option(names = "--allow-wildcard-bind", defaultValue = "false",
      description = "Allow --bind 0.0.0.0 or :: (exposes AnkiConnect on every network). Default: off.")
  boolean allowWildcardBind;

  @Option(names = "--connect-port", paramLabel = "PORT", defaultValue = "8765",
      description = "AnkiConnect's port (webBindPort).")
  int port;

  /** The bind rule; 64 or 78 by where the values came from. */
  BindSpec bindSpec(CommandSpec spec) {
    return SettingsCheck.checked(spec, () -> BindSpec.parse(bind, tailscaleInterface, ipv6, allowWildcardBind),
        BIND_FLAGS);
  }

  /** The port rule; 64 or 78 by where the value came from. */
  int port(CommandSpec spec) {
    return SettingsCheck.checked(spec, () -> ConnectSettings.checkPort(port), "--connect-port");
  }
}
