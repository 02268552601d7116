package dev.ankisupervisor.standin.anki;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * AnkiConnect's origin check ({@code WebServer.allowOrigin}, A2): no Origin header always passes;
 * "*" in {@code webCorsOriginList} allows every origin; a listed origin passes; when
 * "http://localhost" is listed, 127.0.0.1 origins and browser-extension origins pass too. The
 * deprecated {@code webCorsOrigin} is added to the list. Pure; any thread.
 */
final class CorsPolicy {
  private CorsPolicy() {}

  /** The decision and the Access-Control-Allow-Origin value to send. */
  record Decision(boolean allowed, String corsOrigin) {}

  static Decision decide(String origin, JsonNode originList, JsonNode deprecatedOrigin) {
    List<String> list = new ArrayList<>();
    if (originList != null && originList.isArray()) {
      originList.forEach(n -> list.add(n.asText()));
    }
    if (deprecatedOrigin != null && deprecatedOrigin.isTextual() && !deprecatedOrigin.asText().isEmpty()) {
      list.add(deprecatedOrigin.asText());
    }
    if (list.contains("*")) {
      return new Decision(true, "*");
    }
    if (origin == null) {
      return new Decision(true, "http://localhost");
    }
    if (list.contains(origin)) {
      return new Decision(true, origin);
    }
    if (list.contains("http://localhost")
        && (origin.equals("http://127.0.0.1") || origin.equals("https://127.0.0.1")
            || origin.startsWith("http://127.0.0.1:") || origin.startsWith("chrome-extension://")
            || origin.startsWith("moz-extension://") || origin.startsWith("safari-web-extension://"))) {
      return new Decision(true, origin);
    }
    return new Decision(false, "http://localhost");
  }
}
