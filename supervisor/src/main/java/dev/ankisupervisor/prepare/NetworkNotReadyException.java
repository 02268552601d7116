package dev.ankisupervisor.prepare;

/**
 * The bind address did not appear (or could not be bound) within the network timeout
 * (--network-timeout). The message names the interface and what was found, e.g. "interface tailscale0 not
 * found" or "tailscale0 has 192.168.1.5, none in 100.64.0.0/10". Kind is always
 * {@link Kind#NETWORK_NOT_READY} (exit 75).
 */
public final class NetworkNotReadyException extends PrepareException {
  public NetworkNotReadyException(String message) {
    super(Kind.NETWORK_NOT_READY, message);
  }
}
