package dev.ankisupervisor.standin.anki;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ankisupervisor.standin.syncserver.CollectionContent;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Talks the stand-in sync protocol to the profile's sync server (C8): endpoint
 * {@code currentSyncUrl}, else {@code customSyncUrl}, else AnkiWeb's; host key {@code syncKey}
 * in the {@code anki-sync} header; every read, write and connect bounded by the profile's
 * {@code networkTimeout} (seconds, default 60, as Anki's stall monitor). Failures become
 * {@link ActionError}s with Anki's exact texts ({@link SyncTexts}). One instance per sync, used on
 * the AnkiConnect thread only; it blocks that thread, as the real sync does (A3).
 */
final class SyncClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType JSON_TYPE = MediaType.get("application/json");
  private static final String ANKIWEB = "https://sync.ankiweb.net/";

  private final URI endpoint;
  private final String hostKey;
  private final OkHttpClient http;

  private SyncClient(URI endpoint, String hostKey, Duration timeout) {
    this.endpoint = endpoint;
    this.hostKey = hostKey;
    this.http = new OkHttpClient.Builder()
        .connectTimeout(timeout).readTimeout(timeout).writeTimeout(timeout)
        .retryOnConnectionFailure(false).build();
  }

  /** The client for the open profile, or null when it has no {@code syncKey} (no auth). */
  static SyncClient forProfile(Map<String, Object> prefs) {
    Object key = prefs.get("syncKey");
    if (key == null || key.toString().isEmpty()) {
      return null;
    }
    String url = firstText(prefs.get("currentSyncUrl"), prefs.get("customSyncUrl"), ANKIWEB);
    Object t = prefs.get("networkTimeout");
    long seconds = t instanceof Number n && n.longValue() > 0 ? n.longValue() : 60; // Python's `or 60`
    return new SyncClient(URI.create(url), key.toString(), Duration.ofSeconds(seconds));
  }

  /** The sync server's URL (no secret in it; the host key travels in a header). */
  java.net.URI endpoint() {
    return endpoint;
  }

  /** What the server reports about its collection. */
  record ServerMeta(String scm, String digest, boolean empty, long usn, String message) {}

  /** A server collection and its usn. */
  record ServerContent(CollectionContent content, long usn) {}

  ServerMeta meta() throws ActionError {
    JsonNode m = call("meta", Map.of());
    return new ServerMeta(m.path("scm").asText(), m.path("digest").asText(), m.path("empty").asBoolean(),
        m.path("usn").asLong(), m.path("msg").asText(""));
  }

  ServerContent merge(CollectionContent local) throws ActionError {
    return content(call("merge", local));
  }

  ServerContent download() throws ActionError {
    return content(call("download", Map.of()));
  }

  long upload(CollectionContent local) throws ActionError {
    return call("upload", local).path("usn").asLong();
  }

  private static ServerContent content(JsonNode reply) throws ActionError {
    try {
      return new ServerContent(JSON.treeToValue(reply.get("content"), CollectionContent.class),
          reply.path("usn").asLong());
    } catch (IOException | IllegalArgumentException e) {
      throw new ActionError(SyncTexts.network(SyncTexts.NETWORK_OTHER, "error decoding response body"));
    }
  }

  private JsonNode call(String method, Object body) throws ActionError {
    // As rslib's Url::join: "sync/meta" relative to the endpoint (C8: it needs a trailing slash).
    String url = endpoint.resolve("sync/" + method).toString();
    Request request;
    try {
      request = new Request.Builder().url(url)
          .header("anki-sync", JSON.writeValueAsString(Map.of("k", hostKey, "c", "25.09.2,standin,linux")))
          .post(RequestBody.create(JSON.writeValueAsBytes(body), JSON_TYPE)).build();
    } catch (IOException | IllegalArgumentException e) {
      throw new ActionError(SyncTexts.network(SyncTexts.NETWORK_OTHER, "builder error"));
    }
    try (Response response = http.newCall(request).execute()) {
      if (!response.isSuccessful()) {
        throw new ActionError(textForStatus(response.code(), response.message()));
      }
      return JSON.readTree(response.body().bytes());
    } catch (InterruptedIOException e) {
      // OkHttp's connect/read/write timeouts: Anki's stall monitor gives Timeout with empty info.
      throw new ActionError(SyncTexts.network(SyncTexts.TIMEOUT, ""));
    } catch (IOException e) {
      // a refused connection and an unknown host read alike in real Anki 25.09.2 (A4)
      throw new ActionError(SyncTexts.network(SyncTexts.NETWORK_OTHER, SyncTexts.SEND_FAILED_INFO));
    }
  }

  /** rslib/src/error/network.rs {@code error_for_status_code}, then the kind's text. */
  static String textForStatus(int code, String reason) {
    return switch (code) {
      case 403 -> SyncTexts.WRONG_PASS;
      case 409 -> SyncTexts.CONFLICT;
      case 500, 502, 503, 504 -> SyncTexts.SERVER_ERROR;
      case 501 -> SyncTexts.CLIENT_TOO_OLD;
      case 400 -> SyncTexts.CHECK_DATABASE;
      case 407 -> SyncTexts.network(SyncTexts.PROXY_AUTH, statusInfo(code, reason));
      default -> SyncTexts.network(SyncTexts.NETWORK_OTHER, statusInfo(code, reason));
    };
  }

  private static String statusInfo(int code, String reason) {
    String kind = code >= 500 ? "server" : "client";
    return "HTTP status " + kind + " error (" + code + (reason.isEmpty() ? "" : " " + reason) + ") for url ()";
  }

  private static String firstText(Object... candidates) {
    for (Object o : candidates) {
      if (o != null && !o.toString().isEmpty()) {
        return o.toString();
      }
    }
    return ANKIWEB;
  }
}
