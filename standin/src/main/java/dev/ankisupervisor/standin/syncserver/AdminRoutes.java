package dev.ankisupervisor.standin.syncserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.Map;

/**
 * The stand-in's test-only admin endpoints under {@code /standin/}, answered only to loopback
 * clients (403 otherwise), since the running server holds each collection's exclusive lock and a
 * test cannot open it itself:
 * <ul>
 *   <li>{@code GET /standin/collection?user=NAME}: {@code {"content": {...}, "usn": n,
 *       "mod": ms, "empty": bool}}
 *   <li>{@code POST /standin/decks?user=NAME} with {@code {"deck": "X", "cards": 2}}: adds that
 *       deck with that many new cards, as if another device had synced them.
 * </ul>
 * Runs on the HTTP server's worker threads.
 */
final class AdminRoutes implements HttpHandler {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Map<String, ServerCollection> byUser;

  AdminRoutes(Map<String, ServerCollection> byUser) {
    this.byUser = Map.copyOf(byUser);
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    try {
      if (!ex.getRemoteAddress().getAddress().isLoopbackAddress()) {
        SyncRoutes.reply(ex, 403, "403");
        return;
      }
      ServerCollection col = byUser.get(queryUser(ex.getRequestURI().getRawQuery()));
      if (col == null) {
        SyncRoutes.reply(ex, 404, "no such user; pass ?user=NAME of a SYNC_USERn");
        return;
      }
      String path = ex.getRequestURI().getPath();
      if (path.equals("/standin/collection") && "GET".equals(ex.getRequestMethod())) {
        ServerCollection.Meta m = col.meta();
        SyncRoutes.replyJson(ex, Map.of("content", col.content(), "usn", m.usn(), "mod", m.modMs(),
            "empty", m.empty()));
      } else if (path.equals("/standin/decks") && "POST".equals(ex.getRequestMethod())) {
        JsonNode body = JSON.readTree(ex.getRequestBody());
        col.addDeck(body.path("deck").asText("Added"), body.path("cards").asInt(1));
        SyncRoutes.replyJson(ex, Map.of("usn", col.meta().usn()));
      } else {
        SyncRoutes.reply(ex, 404, "404");
      }
    } catch (java.sql.SQLException | RuntimeException e) {
      SyncRoutes.reply(ex, 500, String.valueOf(e));
    }
  }

  private static String queryUser(String query) {
    if (query == null) {
      return null;
    }
    for (String part : query.split("&")) {
      if (part.startsWith("user=")) {
        return java.net.URLDecoder.decode(part.substring(5), java.nio.charset.StandardCharsets.UTF_8);
      }
    }
    return null;
  }
}
