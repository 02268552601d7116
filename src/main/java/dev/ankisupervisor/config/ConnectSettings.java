package dev.ankisupervisor.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * AnkiConnect's settings the supervisor writes (A1) and uses to reach it.
 *
 * @param bind where to bind (resolved to an address before each launch)
 * @param port webBindPort
 * @param apiKey the apiKey, if any (never logged)
 * @param corsOrigins webCorsOriginList
 * @param configApi the P1 setting
 * @param allowWildcardBind whether 0.0.0.0 / :: are accepted
 */
public record ConnectSettings(
    BindSpec bind,
    int port,
    Optional<Secret> apiKey,
    List<String> corsOrigins,
    ConfigApiSettings configApi,
    boolean allowWildcardBind) {
  public ConnectSettings {
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(apiKey, "apiKey");
    corsOrigins = List.copyOf(corsOrigins);
    Objects.requireNonNull(configApi, "configApi");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("AnkiConnect port must be 1-65535, found " + port);
    }
    if (bind instanceof BindSpec.Fixed f && f.address().isAnyLocalAddress() && !allowWildcardBind) {
      throw new IllegalArgumentException("refusing wildcard bind address " + f.address().getHostAddress()
          + ": it exposes AnkiConnect on every network; bind the Tailscale address or pass --allow-wildcard-bind");
    }
  }
}
