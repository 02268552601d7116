package dev.ankisupervisor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The bench's and the fault run's view of AnkiConnect: one action per plain socket (A3: each reply
 * closes the connection), no client library, so a readiness poll costs the driver almost nothing
 * and its timing is not disturbed by connection pools. The readiness rule is the supervisor's:
 * {@code deckNames} answers without an error (A4).
 *
 * <p>Threading: stateless; any thread.
 */
public final class AnkiConnectProbe {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final int port;
  private final Duration timeout;

  public AnkiConnectProbe(int port, Duration timeout) {
    this.port = port;
    this.timeout = timeout;
  }

  /** True when {@code deckNames} answers without an error right now. */
  public boolean isReady() {
    try {
      call("deckNames", "{}");
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Polls {@link #isReady} every {@code every} until it is true or {@code atMost} passed.
   *
   * @return System.nanoTime() of the first success, or -1 on timeout
   */
  public long awaitReady(Duration every, Duration atMost) throws InterruptedException {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (System.nanoTime() < deadline) {
      if (isReady()) {
        return System.nanoTime();
      }
      Thread.sleep(every.toMillis());
    }
    return -1;
  }

  /**
   * Calls one action (version 6 envelope) and returns its result.
   *
   * @throws IOException nothing answers, the answer is not JSON, or it carries an error
   */
  public JsonNode call(String action, String paramsJson) throws IOException {
    String body = "{\"action\":\"" + action + "\",\"version\":6,\"params\":" + paramsJson + "}";
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
      s.setSoTimeout((int) timeout.toMillis());
      OutputStream out = s.getOutputStream();
      out.write(("POST / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(bytes);
      out.flush();
      String reply = readAll(s.getInputStream());
      int split = reply.indexOf("\r\n\r\n");
      if (!reply.startsWith("HTTP/1.") || split < 0) {
        throw new IOException("not an HTTP reply: " + abbreviate(reply));
      }
      JsonNode node = JSON.readTree(reply.substring(split + 4));
      if (node == null || !node.has("error")) {
        throw new IOException("not an AnkiConnect envelope: " + abbreviate(reply));
      }
      if (!node.get("error").isNull()) {
        throw new IOException(action + ": " + node.get("error").asText());
      }
      return node.get("result");
    }
  }

  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    in.transferTo(buf);
    return buf.toString(StandardCharsets.UTF_8);
  }

  private static String abbreviate(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }
}
