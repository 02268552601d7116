package dev.ankisupervisor.os;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ankisupervisor.testing.Python3;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortTableTest {
  private static final String HEADER =
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";

  @Test
  void parsesListeningIpv4SocketsOnALittleEndianMachine() throws Exception {
    String text = HEADER
        + "   0: 0100007F:223D 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12345 1 0000000000000000 100 0 0 10 0\n"
        + "   1: 01004064:223D 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 777 1 0000000000000000 100 0 0 10 0\n"
        + "   2: 0100007F:9C40 0100007F:223D 01 00000000:00000000 00:00000000 00000000     0        0 999 1 0000000000000000 20 4 30 10 -1\n";

    List<PortTable.Listener> got = new PortTable(Path.of("/nonexistent"), ByteOrder.LITTLE_ENDIAN).parse(text);

    assertThat(got).containsExactly(
        new PortTable.Listener(InetAddress.getByName("127.0.0.1"), 8765, 12345),
        new PortTable.Listener(InetAddress.getByName("100.64.0.1"), 8765, 777));
  }

  @Test
  void parsesIpv6WordsInMachineOrder() throws Exception {
    String text = HEADER
        + "   0: 5C117AFD0000E0A10000000005000000:223D 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0000000000000000 100 0 0 10 0\n"
        + "   1: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4343 1 0000000000000000 100 0 0 10 0\n";

    List<PortTable.Listener> got = new PortTable(Path.of("/nonexistent"), ByteOrder.LITTLE_ENDIAN).parse(text);

    assertThat(got).containsExactly(
        new PortTable.Listener(InetAddress.getByName("fd7a:115c:a1e0::5"), 8765, 4242),
        new PortTable.Listener(InetAddress.getByName("::"), 8080, 4343));
  }

  @Test
  void findsTheRealProcessListeningOnAPort() throws Exception {
    String listen = "import socket, os, time\n"
        + "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()\n"
        + "print(s.getsockname()[1], flush=True)\n"
        + "time.sleep(600)";
    try (Python3.Started holder = Python3.start(listen)) {
      int port = Integer.parseInt(holder.firstLine().strip());

      List<PortTable.Listener> listeners = PortTable.system().listenersOn(port);

      assertThat(listeners).hasSize(1);
      assertThat(listeners.get(0).address()).isEqualTo(InetAddress.getByName("127.0.0.1"));
      Map<Long, Long> owners = ProcFs.system().socketOwners(Set.of(listeners.get(0).inode()));
      assertThat(owners).containsEntry(listeners.get(0).inode(), holder.process().pid());
    }
  }
}
