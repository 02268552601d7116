package dev.ankisupervisor.systemd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketAddress;

/**
 * Plays systemd's side of sd_notify in tests: a bound unix datagram socket (a path, or an abstract
 * name starting with '@') collecting every datagram on a reader thread.
 */
public final class NotifyListener implements AutoCloseable {
  private final UnixDatagramChannel channel;
  private final List<String> messages = new ArrayList<>();
  private final Thread reader;
  /** What NOTIFY_SOCKET must say. */
  private final String socketName;

  public NotifyListener(String socketName) throws IOException {
    this.socketName = socketName;
    String nativeName = socketName.startsWith("@") ? "\0" + socketName.substring(1) : socketName;
    channel = UnixDatagramChannel.open();
    channel.bind(new UnixSocketAddress(nativeName));
    reader = new Thread(this::read, "notify-listener");
    reader.setDaemon(true);
    reader.start();
  }

  private void read() {
    ByteBuffer buf = ByteBuffer.allocate(4096);
    while (channel.isOpen()) {
      try {
        buf.clear();
        channel.receive(buf);
        buf.flip();
        String text = StandardCharsets.UTF_8.decode(buf).toString();
        synchronized (messages) {
          messages.add(text);
        }
      } catch (IOException e) {
        return;
      }
    }
  }

  public String socketName() {
    return socketName;
  }

  /** Every datagram so far, in arrival order. */
  public List<String> messages() {
    synchronized (messages) {
      return List.copyOf(messages);
    }
  }

  /** Every assignment so far (datagrams split at newlines), in order. */
  public List<String> assignments() {
    List<String> out = new ArrayList<>();
    for (String m : messages()) {
      out.addAll(List.of(m.split("\n")));
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
