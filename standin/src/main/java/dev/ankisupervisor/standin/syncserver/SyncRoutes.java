package dev.ankisupervisor.standin.syncserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Serves the stand-in sync protocol under {@code /sync/} (docs/standin.md, "The stand-in sync server"): every
 * call is a POST with JSON bodies and the host key in the {@code anki-sync} header
 * ({@code {"k": "<hkey>"}}), like Anki's own header. Order per call: the delay knob, the fail
 * knob, host-key auth (unknown key: 403, as upstream's {@code or_forbidden("invalid hkey")}),
 * the busy knob (409, as upstream's "no active sync" conflict), then the method. Runs on the
 * HTTP server's worker threads; per-user work is serialized by {@link ServerCollection}.
 */
final class SyncRoutes implements HttpHandler {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final SyncServerSettings settings;
  private final Map<String, ServerCollection> byHostKey;
  private final ServerLog log;

  SyncRoutes(SyncServerSettings settings, Map<String, ServerCollection> byHostKey, ServerLog log) {
    this.settings = settings;
    this.byHostKey = Map.copyOf(byHostKey);
    this.log = log;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    long start = System.nanoTime();
    String uri = ex.getRequestURI().getPath();
    String uid = "";
    int status;
    try {
      if (!settings.delay().isZero()) {
        Thread.sleep(settings.delay().toMillis());
      }
      ServerCollection col = byHostKey.get(hostKeyOf(ex));
      if (settings.failStatus() != 0) {
        status = reply(ex, settings.failStatus(), String.valueOf(settings.failStatus()));
      } else if (col == null) {
        status = reply(ex, 403, "403");
      } else if (settings.busy()) {
        uid = col.user();
        status = reply(ex, 409, "409");
      } else {
        uid = col.user();
        status = dispatch(ex, col, uri.substring("/sync/".length()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      status = reply(ex, 503, "503");
    } catch (java.sql.SQLException | RuntimeException e) {
      log.standIn("sync call " + uri + " failed: " + e);
      status = reply(ex, 500, "500");
    }
    long ms = (System.nanoTime() - start) / 1_000_000;
    log.info("request{uri=" + uri + " uid=" + uid + "}: finished elap_ms=" + ms + " httpstatus=" + status);
  }

  private int dispatch(HttpExchange ex, ServerCollection col, String method)
      throws IOException, java.sql.SQLException {
    if (!"POST".equals(ex.getRequestMethod())) {
      return reply(ex, 405, "405");
    }
    byte[] body = readBody(ex);
    if (body == null) {
      return reply(ex, 413, "413");
    }
    switch (method) {
      case "meta" -> {
        ServerCollection.Meta m = col.meta();
        return replyJson(ex, Map.of("scm", m.scm(), "digest", m.digest(), "empty", m.empty(),
            "usn", m.usn(), "mod", m.modMs(), "msg", ""));
      }
      case "merge" -> {
        CollectionContent merged = col.merge(JSON.readValue(body, CollectionContent.class));
        return replyJson(ex, Map.of("content", merged, "usn", col.meta().usn()));
      }
      case "download" -> {
        return replyJson(ex, Map.of("content", col.content(), "usn", col.meta().usn()));
      }
      case "upload" -> {
        col.replace(JSON.readValue(body, CollectionContent.class));
        return replyJson(ex, Map.of("usn", col.meta().usn()));
      }
      default -> {
        return reply(ex, 404, "404");
      }
    }
  }

  /** The {@code k} of the {@code anki-sync} header, or null. */
  private static String hostKeyOf(HttpExchange ex) {
    String header = ex.getRequestHeaders().getFirst("anki-sync");
    if (header == null) {
      return null;
    }
    try {
      JsonNode k = JSON.readTree(header).get("k");
      return k == null ? null : k.asText();
    } catch (IOException e) {
      return null;
    }
  }

  /** The request body, or null when it exceeds MAX_SYNC_PAYLOAD_MEGS. */
  private byte[] readBody(HttpExchange ex) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, settings.maxPayloadBytes() + 1));
      return body.length > settings.maxPayloadBytes() ? null : body;
    }
  }

  static int replyJson(HttpExchange ex, Object value) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(value);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    return send(ex, 200, bytes);
  }

  /** Upstream answers errors with the status number as the body (HttpError::into_response). */
  static int reply(HttpExchange ex, int status, String text) throws IOException {
    return send(ex, status, text.getBytes(StandardCharsets.UTF_8));
  }

  private static int send(HttpExchange ex, int status, byte[] bytes) throws IOException {
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
    return status;
  }
}
