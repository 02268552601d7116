package dev.ankisupervisor.systemd;

import com.kenai.jffi.ArrayFlags;
import com.kenai.jffi.Function;
import com.kenai.jffi.HeapInvocationBuffer;
import com.kenai.jffi.Type;
import dev.ankisupervisor.os.Libc;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * An unbound, unconnected {@code AF_UNIX} datagram socket that sends to a path or abstract name:
 * what sd_notify needs, which the JDK (17) does not offer. It calls libc's {@code socket},
 * {@code sendto} and {@code close} through {@link Libc} (why not jnr-unixsocket: see there).
 *
 * <p>Threading: {@link #send} may be called from any thread (each call is one system call);
 * {@link #close} once, after the last send.
 */
final class UnixDatagramSocket implements AutoCloseable {
  private static final int AF_UNIX = 1;
  private static final int SOCK_DGRAM = 2;
  private static final int SOCK_CLOEXEC = 02000000;
  private static final int MSG_NOSIGNAL = 0x4000;
  /** sizeof(sun_path) in struct sockaddr_un on Linux. */
  private static final int SUN_PATH = 108;

  /** Bound at the first socket. */
  private static final class Calls {
    static final Function SOCKET = Libc.function("socket", Type.SINT32, Type.SINT32, Type.SINT32, Type.SINT32);
    static final Function SENDTO = Libc.function("sendto", Type.SLONG, Type.SINT32, Type.POINTER, Type.ULONG,
        Type.SINT32, Type.POINTER, Type.UINT32);
    static final Function CLOSE = Libc.function("close", Type.SINT32, Type.SINT32);
  }

  private final int fd;
  private final byte[] address;

  private UnixDatagramSocket(int fd, byte[] address) {
    this.fd = fd;
    this.address = address;
  }

  /**
   * A socket sending to {@code target}: an absolute path, or a name starting with a NUL byte for the
   * abstract namespace.
   *
   * @throws IOException the socket cannot be made, or the name does not fit a sockaddr_un
   */
  static UnixDatagramSocket to(String target) throws IOException {
    byte[] address = sockaddr(target);
    int fd;
    try {
      fd = Libc.INVOKER.invokeIIIrI(Calls.SOCKET, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    } catch (RuntimeException | LinkageError e) {
      throw new IOException("cannot call libc's socket(): " + e, e);
    }
    if (fd < 0) {
      throw new IOException("socket(AF_UNIX, SOCK_DGRAM) failed, errno " + Libc.errno());
    }
    return new UnixDatagramSocket(fd, address);
  }

  /** struct sockaddr_un for {@code name}, cut to its used length (as sd_notify passes it). */
  static byte[] sockaddr(String name) throws IOException {
    byte[] path = name.getBytes(StandardCharsets.UTF_8);
    boolean abstractName = path.length > 0 && path[0] == 0;
    // A path needs its NUL terminator inside sun_path; an abstract name is exactly its bytes.
    int used = abstractName ? path.length : path.length + 1;
    if (path.length == 0 || used > SUN_PATH) {
      throw new IOException("socket name must be 1-" + (SUN_PATH - 1) + " bytes, found " + path.length);
    }
    ByteBuffer b = ByteBuffer.allocate(2 + used).order(ByteOrder.nativeOrder());
    b.putShort((short) AF_UNIX).put(path);
    return b.array();
  }

  /** Sends {@code data} as one datagram; throws with the errno when the kernel refuses it. */
  void send(byte[] data) throws IOException {
    HeapInvocationBuffer call = new HeapInvocationBuffer(Calls.SENDTO);
    call.putInt(fd);
    call.putArray(data, 0, data.length, ArrayFlags.IN);
    call.putLong(data.length);
    call.putInt(MSG_NOSIGNAL);
    call.putArray(address, 0, address.length, ArrayFlags.IN);
    call.putInt(address.length);
    long sent = Libc.INVOKER.invokeLong(Calls.SENDTO, call);
    if (sent < 0) {
      throw new IOException("sendto failed, errno " + Libc.errno());
    }
    if (sent != data.length) {
      throw new IOException("sendto sent " + sent + " of " + data.length + " bytes");
    }
  }

  @Override
  public void close() {
    Libc.INVOKER.invokeIrI(Calls.CLOSE, fd);
  }
}
