package dev.ankisupervisor.prepare;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Where {@link BindAddressWaiter} looks for addresses: the real one ({@link #system()}) asks
 * {@code java.net.NetworkInterface} and binds real sockets; tests pass a fake.
 *
 * <p>Implementations must be safe to call from any thread.
 */
public interface InterfaceSource {
  /** The addresses now on interface {@code name}, or empty when no such interface exists. */
  Optional<List<InetAddress>> addressesOf(String name);

  /** Every address on every interface (for {@code --bind ADDRESS}). */
  List<InetAddress> allAddresses();

  /**
   * Tries a bind on {@code address}, port 0, and closes it at once.
   *
   * @return empty when the bind worked, else why not (the exception text)
   */
  Optional<String> tryBind(InetAddress address);

  /** The machine's interfaces. */
  static InterfaceSource system() {
    return new SystemInterfaces();
  }
}
