package dev.ankisupervisor.ankiconnect;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
import okio.BufferedSource;

/**
 * Calls AnkiConnect actions (A2): POSTs {@code {action, version: 6, params, key}} and decodes the
 * {@code {result, error}} envelope. Thread-safe; calls may block up to the given timeout (connect,
 * read, write and the whole call: {@link HttpClients#forCall}), and AnkiConnect serves one request
 * at a time (A3), so callers pick timeouts to match the action.
 *
 * <p>Replies are capped: {@link #call} reads at most {@link #MAX_REPLY_BYTES} (a reply held as a
 * tree must fit the supervisor's small heap), {@link #count} streams an array's items without
 * keeping them, up to {@link #MAX_COUNTED_REPLY_BYTES}. A longer reply is a {@code BAD_REPLY}
 * error, never an OutOfMemoryError.
 */
public final class AnkiConnectClient {
  /** The API version we speak; every reply then has the {result, error} envelope (A2). */
  public static final int API_VERSION = 6;

  /**
   * The most {@link #call} reads: 8 MiB. The largest answer it is used for is {@code deckNames} or
   * {@code apiReflect} (kilobytes); a card list goes through {@link #count}.
   */
  public static final long MAX_REPLY_BYTES = 8L << 20;
  /** The most {@link #count} reads: 256 MiB, some 18 million card ids; only counted, never kept. */
  public static final long MAX_COUNTED_REPLY_BYTES = 256L << 20;

  private static final MediaType JSON = MediaType.get("application/json");

  private final AnkiConnectEndpoint endpoint;

  public AnkiConnectClient(AnkiConnectEndpoint endpoint) {
    this.endpoint = endpoint;
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
    return exchange(action, params, timeout, body -> decode(action, readCapped(action, body, MAX_REPLY_BYTES)));
  }

  /**
   * Calls {@code action}, whose result is an array ({@code findCards}), and returns how many items
   * it has, streaming the reply (nothing of it is kept; at most {@link #MAX_COUNTED_REPLY_BYTES}).
   */
  public long count(String action, Map<String, ?> params, Duration timeout) throws AnkiConnectException {
    return exchange(action, params, timeout, body -> countItems(action, body));
  }

  /** Reads one reply body into a value. */
  @FunctionalInterface
  private interface Reader<T> {
    T read(ResponseBody body) throws IOException, AnkiConnectException;
  }

  private <T> T exchange(String action, Map<String, ?> params, Duration timeout, Reader<T> reader)
      throws AnkiConnectException {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("action", action);
    body.put("version", API_VERSION);
    body.set("params", JsonTree.of(params));
    endpoint.apiKey().ifPresent(k -> body.put("key", k));
    Request request = new Request.Builder()
        .url(endpoint.url())
        // A3: AnkiConnect closes the connection after each reply without saying so; a pooled
        // connection would fail the next call with "unexpected end of stream".
        .header("Connection", "close")
        .post(RequestBody.create(JsonTree.write(body), JSON))
        .build();
    OkHttpClient client = HttpClients.forCall(endpoint.url(), timeout);
    try (Response response = client.newCall(request).execute()) {
      if (response.code() != 200) {
        throw new AnkiConnectException(AnkiConnectException.Kind.HTTP_STATUS,
            action + ": HTTP " + response.code() + " from " + endpoint.url());
      }
      ResponseBody rb = response.body();
      if (rb == null) {
        return reader.read(ResponseBody.create(new byte[0], JSON));
      }
      return reader.read(rb);
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

  /** The body as text, refused when longer than {@code max} bytes (asked before reading it all). */
  private static String readCapped(String action, ResponseBody body, long max) throws IOException, AnkiConnectException {
    if (body.contentLength() > max) {
      throw tooLarge(action, body.contentLength() + " bytes", max);
    }
    BufferedSource source = body.source();
    if (source.request(max + 1)) {
      throw tooLarge(action, "more than " + max + " bytes", max);
    }
    return source.readUtf8();
  }

  private static AnkiConnectException tooLarge(String action, String size, long max) {
    return new AnkiConnectException(AnkiConnectException.Kind.BAD_REPLY, action + ": reply of " + size
        + " is larger than any answer AnkiConnect gives (the cap is " + (max >> 20) + " MiB); not read");
  }

  /** Streams {@code {"result": [...], "error": null}} and counts the result's items. */
  private static long countItems(String action, ResponseBody body) throws IOException, AnkiConnectException {
    if (body.contentLength() > MAX_COUNTED_REPLY_BYTES) {
      throw tooLarge(action, body.contentLength() + " bytes", MAX_COUNTED_REPLY_BYTES);
    }
    long items = -1;
    String error = null;
    boolean sawError = false;
    try (CappedStream in = new CappedStream(body.byteStream(), MAX_COUNTED_REPLY_BYTES);
        JsonParser p = JsonTree.factory().createParser(in)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw notEnvelope(action);
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.getCurrentName();
        JsonToken value = p.nextToken();
        if ("result".equals(field) && value == JsonToken.START_ARRAY) {
          items = 0;
          for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == null) {
              throw notEnvelope(action);
            }
            items++;
            p.skipChildren();
          }
        } else if ("error".equals(field)) {
          sawError = true;
          error = value == JsonToken.VALUE_NULL ? null : p.getValueAsString(p.getText());
          p.skipChildren();
        } else {
          p.skipChildren();
        }
      }
    } catch (CappedStream.TooLong e) {
      throw tooLarge(action, "more than " + MAX_COUNTED_REPLY_BYTES + " bytes", MAX_COUNTED_REPLY_BYTES);
    } catch (JsonProcessingException e) {
      throw new AnkiConnectException(AnkiConnectException.Kind.BAD_REPLY, action + ": reply is not JSON: "
          + e.getOriginalMessage(), e);
    }
    if (error != null) {
      throw new AnkiConnectException(AnkiConnectException.Kind.ACTION_ERROR, error);
    }
    if (!sawError || items < 0) {
      throw notEnvelope(action);
    }
    return items;
  }

  private static AnkiConnectException notEnvelope(String action) {
    return new AnkiConnectException(AnkiConnectException.Kind.BAD_REPLY,
        action + ": reply is not AnkiConnect's {result, error} envelope with a list result");
  }

  private static JsonNode decode(String action, String text) throws AnkiConnectException {
    JsonNode reply;
    try {
      reply = JsonTree.read(text);
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
