package dev.ankisupervisor.os;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code /proc/net/tcp} and {@code /proc/net/tcp6} for sockets in LISTEN state (st 0A) on a
 * port, to find who holds AnkiConnect's port before Anki fails to bind it (A3).
 *
 * <p>Addresses are printed as the raw in-memory words in hex: IPv4 one 32-bit word, IPv6 four, each
 * in the machine's byte order; the port is plain big-endian hex. The owning pid is found from the
 * socket inode through {@code /proc/PID/fd} ({@link ProcFs#socketOwners}).
 *
 * <p>Stateless apart from the folder; safe from any thread.
 */
public final class PortTable {
  /** One listening socket. */
  public record Listener(InetAddress address, int port, long inode) {}

  private static final String LISTEN = "0A";

  private final Path netDir;
  private final ByteOrder order;

  public PortTable(Path netDir, ByteOrder order) {
    this.netDir = netDir;
    this.order = order;
  }

  public static PortTable system() {
    return new PortTable(Path.of("/proc/net"), ByteOrder.nativeOrder());
  }

  /** Every listening TCP socket (v4 and v6) on {@code port}. */
  public List<Listener> listenersOn(int port) throws IOException {
    List<Listener> out = new ArrayList<>();
    for (String name : List.of("tcp", "tcp6")) {
      String text;
      try {
        text = Files.readString(netDir.resolve(name), StandardCharsets.US_ASCII);
      } catch (NoSuchFileException e) {
        continue; // no IPv6 in this kernel
      }
      for (Listener l : parse(text)) {
        if (l.port() == port) {
          out.add(l);
        }
      }
    }
    return out;
  }

  /** The LISTEN sockets in one tcp/tcp6 table. */
  List<Listener> parse(String text) {
    List<Listener> out = new ArrayList<>();
    String[] lines = text.split("\n");
    for (int i = 1; i < lines.length; i++) { // line 0 is the header
      String[] f = lines[i].trim().split("\\s+");
      // [0] sl, [1] local addr:port, [2] remote, [3] st, [4] tx:rx, [5] tr:when, [6] retr, [7] uid, [8] timeout, [9] inode
      if (f.length < 10 || !f[3].equals(LISTEN)) {
        continue;
      }
      int colon = f[1].indexOf(':');
      try {
        out.add(new Listener(address(f[1].substring(0, colon)), Integer.parseInt(f[1].substring(colon + 1), 16),
            Long.parseLong(f[9])));
      } catch (RuntimeException | UnknownHostException e) {
        // a line we do not understand is not a listener we can name
      }
    }
    return out;
  }

  private InetAddress address(String hex) throws UnknownHostException {
    byte[] raw = new byte[hex.length() / 2];
    for (int word = 0; word < raw.length / 4; word++) {
      for (int b = 0; b < 4; b++) {
        int at = word * 4 + (order == ByteOrder.LITTLE_ENDIAN ? 3 - b : b);
        raw[word * 4 + b] = (byte) Integer.parseInt(hex.substring(at * 2, at * 2 + 2), 16);
      }
    }
    return InetAddress.getByAddress(raw);
  }
}
