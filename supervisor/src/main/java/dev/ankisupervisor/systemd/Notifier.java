package dev.ankisupervisor.systemd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Speaks systemd's sd_notify protocol: one datagram of newline-separated {@code KEY=value}
 * assignments to the socket named by {@code NOTIFY_SOCKET} (an absolute path, or an abstract
 * socket written {@code @name}). A no-op when {@code NOTIFY_SOCKET} is unset, so the supervisor runs
 * the same way outside systemd.
 *
 * <p>Threading: safe to call from any thread (a datagram is sent whole or not at all); the
 * supervisor calls it from its own thread. A failed send is logged once and never thrown: systemd
 * being away must not stop Anki.
 */
public final class Notifier implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);

  /** Sends to NOTIFY_SOCKET; null when disabled. */
  private final UnixDatagramSocket channel;
  /** The socket as given, for messages. */
  private final String socketName;
  /** Whether a send failure was already logged (logged once, then debug). */
  private volatile boolean failureLogged;

  private Notifier(UnixDatagramSocket channel, String socketName) {
    this.channel = channel;
    this.socketName = socketName;
  }

  /** A notifier for {@code env}'s {@code NOTIFY_SOCKET}; a no-op one when it is unset or empty. */
  public static Notifier fromEnvironment(Map<String, String> env) {
    String socket = env.get("NOTIFY_SOCKET");
    return socket == null || socket.isBlank() ? disabled() : to(socket);
  }

  /** A notifier that sends nothing. */
  public static Notifier disabled() {
    return new Notifier(null, "");
  }

  /**
   * A notifier sending to {@code socket}: an absolute path, or {@code @name} for the abstract
   * namespace (the '@' stands for the leading NUL byte, as in systemd).
   */
  public static Notifier to(String socket) {
    Objects.requireNonNull(socket, "socket");
    if (!socket.startsWith("/") && !socket.startsWith("@")) {
      throw new IllegalArgumentException("NOTIFY_SOCKET must be an absolute path or start with '@', found '"
          + socket + "'; this is set by systemd (Type=notify), unset it to run outside systemd");
    }
    String native_ = socket.startsWith("@") ? "\0" + socket.substring(1) : socket;
    try {
      return new Notifier(UnixDatagramSocket.to(native_), socket);
    } catch (IOException e) {
      LOG.warn("cannot open a datagram socket for sd_notify ({}); systemd will not hear from us: {}",
          socket, e.getMessage());
      return disabled();
    }
  }

  /** Whether messages go anywhere. */
  public boolean isEnabled() {
    return channel != null;
  }

  /** {@code READY=1} with a status line: the service has started (AnkiConnect answers). */
  public void ready(String status) {
    send("READY=1\nSTATUS=" + oneLine(status));
  }

  /** {@code STATUS=...}: a free-form line systemctl status shows. */
  public void status(String status) {
    send("STATUS=" + oneLine(status));
  }

  /** {@code STOPPING=1} with a status line: the service is stopping. */
  public void stopping(String status) {
    send("STOPPING=1\nSTATUS=" + oneLine(status));
  }

  /** {@code WATCHDOG=1}: the supervisor's loop is alive. */
  public void watchdog() {
    send("WATCHDOG=1");
  }

  /** {@code EXTEND_TIMEOUT_USEC=...}: the current start/stop job needs at least this much longer. */
  public void extendTimeout(Duration extra) {
    send("EXTEND_TIMEOUT_USEC=" + Math.max(1, extra.toNanos() / 1000));
  }

  /** {@code MAINPID=...}: which process systemd should consider the service's main one. */
  public void mainPid(long pid) {
    send("MAINPID=" + pid);
  }

  /** Sends one datagram of assignments as given. */
  public void send(String assignments) {
    if (channel == null) {
      return;
    }
    try {
      channel.send(assignments.getBytes(StandardCharsets.UTF_8));
      LOG.debug("sd_notify: {}", assignments.replace('\n', ' '));
    } catch (IOException | RuntimeException e) {
      if (!failureLogged) {
        failureLogged = true;
        LOG.warn("sd_notify to {} failed ({}); continuing without telling systemd (this is logged once)",
            socketName, e.getMessage());
      } else {
        LOG.debug("sd_notify to {} failed again: {}", socketName, e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.close();
    }
  }

  private static String oneLine(String s) {
    return s.replace('\n', ' ');
  }

  @Override
  public String toString() {
    return channel == null ? "Notifier[disabled]" : "Notifier[" + socketName + "]";
  }
}
