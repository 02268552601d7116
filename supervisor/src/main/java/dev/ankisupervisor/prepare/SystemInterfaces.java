package dev.ankisupervisor.prepare;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** The real {@link InterfaceSource}: java.net.NetworkInterface and a real ServerSocket. Stateless. */
final class SystemInterfaces implements InterfaceSource {
  @Override
  public Optional<List<InetAddress>> addressesOf(String name) {
    try {
      NetworkInterface nif = NetworkInterface.getByName(name);
      return nif == null ? Optional.empty() : Optional.of(Collections.list(nif.getInetAddresses()));
    } catch (SocketException e) {
      return Optional.empty();
    }
  }

  @Override
  public List<InetAddress> allAddresses() {
    List<InetAddress> all = new ArrayList<>();
    try {
      for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        all.addAll(Collections.list(nif.getInetAddresses()));
      }
    } catch (SocketException e) {
      // no interfaces readable: nothing is assigned
    }
    return all;
  }

  @Override
  public Optional<String> tryBind(InetAddress address) {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(address, 0));
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of(String.valueOf(e.getMessage()));
    }
  }
}
