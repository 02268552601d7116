package dev.ankisupervisor.ankiconnect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.time.Duration;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Calls AnkiConnect actions (A2): POSTs {@code {action, version: 6, params, key}} and decodes the
 * {@code {result, error}} envelope. Thread-safe; calls may block up to the given timeout, and
 * AnkiConnect serves one request at a time (A3), so callers pick timeouts to match the action.
 */
public final class AnkiConnectClient {
  /** The API version we speak; every reply then has the {result, error} envelope (A2). */
  public static final int API_VERSION = 6;

  private static final MediaType JSON = MediaType.get("application/json");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final AnkiConnectEndpoint endpoint;
  private final OkHttpClient http;

  public AnkiConnectClient(AnkiConnectEndpoint endpoint) {
    this.endpoint = endpoint;
    this.http = HttpClients.forUrl(endpoint.url());
  }

  public AnkiConnectEndpoint endpoint() {
    return endpoint;
  }

  /** Calls {@code action} with no params. */
  public JsonNode call(String action, Duration timeout) throws AnkiConnectException {
    return call(action, Map.of(), timeout);
  }

  /**
   * Calls {@code action} and returns its {@code result} (a {@link NullNode} for null).
   *
   * @throws AnkiConnectException with the kind of failure; for {@code ACTION_ERROR} the message is
   *     AnkiConnect's exact error text
   */
  public JsonNode call(String action, Map<String, ?> params, Duration timeout) throws AnkiConnectException {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("action", action);
    body.put("version", API_VERSION);
    body.set("params", MAPPER.valueToTree(params));
    endpoint.apiKey().ifPresent(k -> body.put("key", k));
    Request request = new Request.Builder()
        .url(endpoint.url())
        // A3: AnkiConnect closes the connection after each reply without saying so; a pooled
        // connection would fail the next call with "unexpected end of stream".
        .header("Connection", "close")
        .post(RequestBody.create(body.toString(), JSON))
        .build();
    OkHttpClient client = http.newBuilder().callTimeout(timeout).build();
    try (Response response = client.newCall(request).execute()) {
      if (response.code() != 200) {
        throw new AnkiConnectException(AnkiConnectException.Kind.HTTP_STATUS,
            action + ": HTTP " + response.code() + " from " + endpoint.url());
      }
      ResponseBody rb = response.body();
      return decode(action, rb == null ? "" : rb.string());
    } catch (ConnectException | NoRouteToHostException e) {
      throw new AnkiConnectException(AnkiConnectException.Kind.UNREACHABLE,
          action + ": nothing answers at " + endpoint.url() + " (" + e.getMessage() + ")", e);
    } catch (InterruptedIOException e) {
      throw new AnkiConnectException(AnkiConnectException.Kind.TIMEOUT,
          action + ": no reply from " + endpoint.url() + " within " + timeout.toMillis() + " ms", e);
    } catch (IOException e) {
      throw new AnkiConnectException(AnkiConnectException.Kind.UNREACHABLE,
          action + ": " + e.getClass().getSimpleName() + " talking to " + endpoint.url() + ": " + e.getMessage(), e);
    }
  }

  private static JsonNode decode(String action, String text) throws AnkiConnectException {
    JsonNode reply;
    try {
      reply = MAPPER.readTree(text);
    } catch (IOException e) {
      throw new AnkiConnectException(AnkiConnectException.Kind.BAD_REPLY,
          action + ": reply is not JSON: " + abbreviate(text), e);
    }
    if (reply == null || !reply.isObject() || !reply.has("result") || !reply.has("error")) {
      throw new AnkiConnectException(AnkiConnectException.Kind.BAD_REPLY,
          action + ": reply is not AnkiConnect's {result, error} envelope: " + abbreviate(text));
    }
    JsonNode error = reply.get("error");
    if (!error.isNull()) {
      throw new AnkiConnectException(AnkiConnectException.Kind.ACTION_ERROR, error.asText());
    }
    return reply.get("result");
  }

  private static String abbreviate(String s) {
    String oneLine = s.replaceAll("\\s+", " ");
    return oneLine.length() > 120 ? oneLine.substring(0, 120) + "..." : oneLine;
  }
}
