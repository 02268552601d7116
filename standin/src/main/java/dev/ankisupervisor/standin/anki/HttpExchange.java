package dev.ankisupervisor.standin.anki;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP request as AnkiConnect's {@code WebClient.parseRequest} reads it: the method, headers
 * (lower-cased names, split at ": "), and a body of Content-Length bytes; and the reply written in
 * the add-on's header order. Used by the AnkiConnect thread only.
 *
 * @param method the request method, upper-cased
 * @param headers header values by lower-cased name
 * @param body the body bytes
 */
record HttpExchange(String method, Map<String, String> headers, byte[] body) {

  /** Reads one request; null when the client closed or sent a broken head. */
  static HttpExchange read(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int last4 = 0;
    while (last4 != 0x0d0a0d0a) {
      int b = in.read();
      if (b < 0 || head.size() > 65_536) {
        return null;
      }
      head.write(b);
      last4 = (last4 << 8) | b;
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    String method = lines[0].split(" ")[0].toUpperCase(Locale.ROOT);
    Map<String, String> headers = new HashMap<>();
    for (int i = 1; i < lines.length; i++) {
      String[] pair = lines[i].split(": ", 2);
      headers.put(pair[0].toLowerCase(Locale.ROOT), pair.length > 1 ? pair[1] : null);
    }
    int length;
    try {
      length = Integer.parseInt(headers.getOrDefault("content-length", "0").strip());
    } catch (NumberFormatException e) {
      return null;
    }
    byte[] body = in.readNBytes(length);
    if (body.length < length) {
      return null;
    }
    return new HttpExchange(method, headers, body);
  }

  /** Writes a 200 JSON reply with AnkiConnect's headers. */
  static void writeOk(Socket socket, String corsOrigin, byte[] body, boolean privateNetwork) throws IOException {
    StringBuilder h = new StringBuilder("HTTP/1.1 200 OK\r\n")
        .append("Content-Type: application/json\r\n")
        .append("Access-Control-Allow-Origin: ").append(corsOrigin).append("\r\n")
        .append("Access-Control-Allow-Headers: *\r\n")
        .append("Content-Length: ").append(body.length).append("\r\n");
    if (privateNetwork) {
      h.append("Access-Control-Allow-Private-Network: true\r\n");
    }
    write(socket, h.append("\r\n").toString(), body);
  }

  /**
   * Writes a valid reply of about {@code megabytes} MiB, streamed: a list of ids
   * ({@code {"result": [1,1,...], "error": null}}) or one long string.
   */
  static void writeHuge(Socket socket, String corsOrigin, boolean list, long megabytes) throws IOException {
    byte[] chunk = new byte[1 << 20];
    byte[] unit = (list ? "1," : "x").getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < chunk.length; i++) {
      chunk[i] = unit[i % unit.length];
    }
    byte[] open = (list ? "{\"result\": [" : "{\"result\": \"").getBytes(StandardCharsets.US_ASCII);
    byte[] close = (list ? "1], \"error\": null}" : "\", \"error\": null}").getBytes(StandardCharsets.US_ASCII);
    long length = open.length + megabytes * chunk.length + close.length;
    OutputStream out = socket.getOutputStream();
    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nAccess-Control-Allow-Origin: " + corsOrigin
        + "\r\nContent-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    out.write(open);
    for (long i = 0; i < megabytes; i++) {
      out.write(chunk);
    }
    out.write(close);
    out.flush();
  }

  /** Writes the add-on's 403 for a disallowed origin: no body (A2). */
  static void writeForbidden(Socket socket, String corsOrigin) throws IOException {
    write(socket, "HTTP/1.1 403 Forbidden\r\nAccess-Control-Allow-Origin: " + corsOrigin
        + "\r\nAccess-Control-Allow-Headers: *\r\n\r\n", new byte[0]);
  }

  private static void write(Socket socket, String head, byte[] body) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(head.getBytes(StandardCharsets.UTF_8));
    out.write(body);
    out.flush();
  }
}
