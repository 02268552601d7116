package dev.ankisupervisor.standin.anki;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * AnkiConnect's web server (A2, A3): bound once when the add-on loads, then one thread (standing
 * in for Anki's GUI thread) serves one request at a time under the GUI lock and closes each
 * connection after its reply. Applies the origin check and request schema of {@code web.py}
 * before handing the request to {@link RequestHandler}. After
 * {@code ANKI_STANDIN_API_HANG_AFTER_MS} it takes the next request and never answers, holding the
 * GUI lock (a hung GUI thread: a clean close cannot run either).
 */
final class AnkiConnectServer {
  private static final int READ_TIMEOUT_MS = 5_000; // the add-on's per-client socket timeout
  private final ServerSocket socket;
  private final Path base;

  private AnkiConnectServer(ServerSocket socket, Path base) {
    this.socket = socket;
    this.base = base;
  }

  /** Binds like {@code WebServer.listen}: SO_REUSEADDR, the configured address, port and backlog. */
  static AnkiConnectServer bind(Path base, ObjectNode config) throws IOException, ActionError {
    String address = AddonSettings.setting(config, "webBindAddress").asText();
    int port = AddonSettings.setting(config, "webBindPort").asInt();
    int backlog = AddonSettings.setting(config, "webBacklog").asInt(5);
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    try {
      s.bind(new InetSocketAddress(address, port), backlog);
    } catch (IOException e) {
      s.close();
      throw e;
    }
    return new AnkiConnectServer(s, base);
  }

  int port() {
    return socket.getLocalPort();
  }

  /** Starts the serving thread. {@code hangAt} is a System.nanoTime deadline, or null. */
  void start(RequestHandler handler, MainWindow window, Long hangAt) {
    Thread t = new Thread(() -> serve(handler, window, hangAt), "ankiconnect");
    t.setDaemon(true);
    t.start();
  }

  private void serve(RequestHandler handler, MainWindow window, Long hangAt) {
    while (true) {
      try (Socket client = socket.accept()) {
        client.setSoTimeout(READ_TIMEOUT_MS);
        HttpExchange request = HttpExchange.read(client);
        if (request == null) {
          continue;
        }
        if (hangAt != null && System.nanoTime() - hangAt >= 0) {
          hangForever(window);
        }
        window.gui.lock();
        try {
          answer(client, request, handler);
        } finally {
          window.gui.unlock();
        }
      } catch (DialogHang e) {
        e.dialog().announce();
        Pause.forever();
      } catch (IOException e) {
        Console.diag("AnkiConnect client failed: " + e.getMessage());
      }
    }
  }

  private static void hangForever(MainWindow window) {
    window.gui.lock();
    Console.diag("AnkiConnect hung (ANKI_STANDIN_API_HANG_AFTER_MS): accepts, never replies; GUI thread blocked");
    Pause.forever();
  }

  private void answer(Socket client, HttpExchange request, RequestHandler handler) throws IOException {
    ObjectNode config = AddonSettings.read(base);
    CorsPolicy.Decision cors;
    try {
      cors = CorsPolicy.decide(request.headers().get("origin"),
          AddonSettings.setting(config, "webCorsOriginList"), AddonSettings.setting(config, "webCorsOrigin"));
    } catch (ActionError e) {
      cors = new CorsPolicy.Decision(false, "http://localhost");
    }
    if (request.method().equals("OPTIONS")) {
      HttpExchange.writeOk(client, cors.corsOrigin(), new byte[0],
          "true".equals(request.headers().get("access-control-request-private-network")));
      return;
    }
    JsonNode params;
    try {
      params = RequestSchema.parse(request.body());
    } catch (ActionError e) {
      if (!cors.allowed()) {
        HttpExchange.writeForbidden(client, cors.corsOrigin());
        return;
      }
      JsonNode reply = request.body().length == 0 ? versionBanner(config) : RequestHandler.error(e.getMessage());
      HttpExchange.writeOk(client, cors.corsOrigin(), bytes(reply), false);
      return;
    }
    boolean permission = "requestPermission".equals(params.path("action").asText());
    if (!cors.allowed() && !permission) {
      HttpExchange.writeForbidden(client, cors.corsOrigin());
      return;
    }
    String corsOrigin = cors.corsOrigin();
    if (permission) {
      ObjectNode p = params.path("params").isObject() ? (ObjectNode) params.get("params") : ((ObjectNode) params).putObject("params");
      p.put("allowed", cors.allowed());
      String origin = request.headers().get("origin");
      p.put("origin", origin == null ? "" : origin);
      if (!cors.allowed()) {
        corsOrigin = p.get("origin").asText();
      }
    }
    String action = params.path("action").asText();
    long huge = hugeReplyMegabytes(action);
    if (huge > 0) {
      Console.diag("answering " + action + " with " + huge + " MiB (ANKI_STANDIN_HUGE_REPLY)");
      HttpExchange.writeHuge(client, corsOrigin, action.equals("findCards"), huge);
      return;
    }
    HttpExchange.writeOk(client, corsOrigin, bytes(handler.handle(params)), false);
  }

  /** ANKI_STANDIN_HUGE_REPLY={@code action:MiB}: that action answers a reply that large; else 0. */
  private static long hugeReplyMegabytes(String action) {
    String knob = System.getenv("ANKI_STANDIN_HUGE_REPLY");
    if (knob == null || !knob.startsWith(action + ":")) {
      return 0;
    }
    return Long.parseLong(knob.substring(action.length() + 1).strip());
  }

  private static JsonNode versionBanner(ObjectNode config) {
    ObjectNode banner = AddonSettings.JSON.createObjectNode();
    String v;
    try {
      v = AddonSettings.setting(config, "apiVersion").asText();
    } catch (ActionError e) {
      v = "6";
    }
    banner.put("apiVersion", "AnkiConnect v." + v);
    return banner;
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return AddonSettings.JSON.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JsonNode always serialises", e);
    }
  }
}
