package dev.ankisupervisor.standin.anki;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Anki's single-instance socket (C5): a local socket named {@code anki<sha1(user)>} in
 * {@code $TMPDIR} (else {@code /tmp}), as {@code AnkiApp.secondInstance} with QLocalServer. If
 * another instance listens, this one sends it a message and must exit 0; a stale socket file is
 * removed and taken over. The listener thread (daemon) just drains messages. A listen that fails
 * (a path past the 106-byte limit, which Qt and the JDK share) is ignored, as Anki ignores it: the
 * instance runs unguarded.
 */
final class SingleInstance {
  private SingleInstance() {}

  /** The socket path for this user and environment. */
  static Path socketPath(Map<String, String> env) {
    String tmp = env.getOrDefault("TMPDIR", "");
    String user = System.getProperty("user.name");
    return Path.of(tmp.isEmpty() ? "/tmp" : tmp).resolve("anki" + sha1(user));
  }

  /**
   * Tries to reach a running instance; on success it has been told {@code message} and this
   * process should exit. Otherwise takes the socket over and returns false.
   */
  static boolean signalRunningInstance(Path socket, String message) throws IOException {
    UnixDomainSocketAddress address = UnixDomainSocketAddress.of(socket);
    if (Files.exists(socket)) {
      try (SocketChannel ch = SocketChannel.open(address)) {
        ch.write(ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)));
        return true;
      } catch (IOException e) {
        Console.diag("stale single-instance socket " + socket + " (" + e.getMessage() + "); taking it over (C5)");
      }
    }
    Files.deleteIfExists(socket);
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      server.bind(address);
    } catch (IOException e) {
      server.close();
      Console.diag("cannot listen on the single-instance socket " + socket + " (" + e.getMessage()
          + "); running without it, as Anki does (C5)");
      return false;
    }
    Thread t = new Thread(() -> drain(server), "single-instance");
    t.setDaemon(true);
    t.start();
    return false;
  }

  private static void drain(ServerSocketChannel server) {
    ByteBuffer buf = ByteBuffer.allocate(4096);
    while (true) {
      try (SocketChannel ch = server.accept()) {
        buf.clear();
        ch.read(buf);
        buf.flip();
        Console.diag("second instance sent: " + StandardCharsets.UTF_8.decode(buf));
      } catch (IOException e) {
        return;
      }
    }
  }

  private static String sha1(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is always present in the JDK", e);
    }
  }
}
