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
    checkPort(port);
    BindSpec.checkWildcard(bind, allowWildcardBind);
  }

  /** The port rule of every command that takes {@code --connect-port}. */
  public static int checkPort(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("--connect-port must be 1-65535 (AnkiConnect's port), found " + port);
    }
    return port;
  }
}
