package dev.ankisupervisor.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A MockWebServer that replays exact AnkiConnect envelopes (A2) per action, for unit tests only
 * (integration tests use the stand-in). Records every request body in order. Also answers
 * {@code GET /health} (S1) with a scripted status.
 */
public final class ScriptedAnkiConnect implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  public static final String STOCK_ACTIONS = "[\"version\",\"deckNames\",\"findCards\",\"sync\",\"apiReflect\"]";
  public static final String P2_ACTIONS =
      "[\"version\",\"deckNames\",\"findCards\",\"sync\",\"apiReflect\",\"headlessSync\",\"fullSync\"]";

  private final MockWebServer server = new MockWebServer();
  private final Map<String, Deque<MockResponse>> replies = new HashMap<>();
  private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
  private volatile int healthCode = 200;

  public ScriptedAnkiConnect() throws IOException {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        if ("GET".equals(request.getMethod())) {
          return new MockResponse().setResponseCode(healthCode).setBody("ok");
        }
        try {
          JsonNode body = MAPPER.readTree(request.getBody().readUtf8());
          requests.add(body);
          synchronized (replies) {
            Deque<MockResponse> q = replies.get(body.get("action").asText());
            if (q == null || q.isEmpty()) {
              return envelope("null", "\"unsupported action\"");
            }
            return q.size() == 1 ? q.peek() : q.poll();
          }
        } catch (IOException e) {
          return new MockResponse().setResponseCode(400);
        }
      }
    });
    server.start();
  }

  /** AnkiConnect's reply: HTTP 200 and {result, error} (A2). */
  public static MockResponse envelope(String resultJson, String errorJson) {
    return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
        .setBody("{\"result\": " + resultJson + ", \"error\": " + errorJson + "}");
  }

  /** The next call(s) of {@code action} return {@code resultJson}; the last scripted reply repeats. */
  public ScriptedAnkiConnect result(String action, String resultJson) {
    return reply(action, envelope(resultJson, "null"));
  }

  /** The next call(s) of {@code action} fail with AnkiConnect's exact {@code errorText}. */
  public ScriptedAnkiConnect error(String action, String errorText) {
    try {
      return reply(action, envelope("null", MAPPER.writeValueAsString(errorText)));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The next call(s) of {@code action} answer only after {@code ms}. */
  public ScriptedAnkiConnect slow(String action, long ms) {
    return reply(action, envelope("null", "null").setHeadersDelay(ms, TimeUnit.MILLISECONDS));
  }

  public ScriptedAnkiConnect reply(String action, MockResponse response) {
    synchronized (replies) {
      replies.computeIfAbsent(action, a -> new ArrayDeque<>()).add(response);
    }
    return this;
  }

  public ScriptedAnkiConnect actions(String actionsJson) {
    return result("apiReflect", "{\"scopes\": [\"actions\"], \"actions\": " + actionsJson + "}");
  }

  public void healthCode(int code) {
    this.healthCode = code;
  }

  public String url() {
    return server.url("/").toString();
  }

  /** The actions called, in order. */
  public List<String> actionsCalled() {
    return requests.stream().map(r -> r.get("action").asText()).toList();
  }

  public List<JsonNode> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() throws IOException {
    server.shutdown();
  }
}
