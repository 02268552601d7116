package dev.ankisupervisor.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Sends AnkiConnect requests (A2: a JSON object POSTed, version 6, no Origin) to a real Anki in tests. */
public final class RealAnkiConnect {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI url;

  public RealAnkiConnect(int port) {
    this.url = URI.create("http://127.0.0.1:" + port + "/");
  }

  /** The whole answer to the raw request text {@code body} (HTTP 200 expected). */
  public JsonNode raw(String body) throws IOException, InterruptedException {
    // A fresh client each time: AnkiConnect closes the connection after each reply (A3), and a pooled
    // connection it closed fails the next POST with "header parser received no bytes".
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(url).timeout(RealAnkiVenv.BOUND)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new AssertionError("HTTP " + r.statusCode() + " for " + body + ": " + r.body());
    }
    return JSON.readTree(r.body());
  }

  /**
   * The HTTP status and body for the raw request text {@code body}, with an {@code Origin} header
   * when {@code origin} is not null: what a client sees, for comparing two add-ons.
   */
  public String exchange(String body, String origin) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(RealAnkiVenv.BOUND)
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (origin != null) {
      b.header("Origin", origin);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return r.statusCode() + " " + r.body();
  }

  /** The whole answer ({@code result}, {@code error}) to {@code action} with {@code params} (JSON text). */
  public JsonNode answer(String action, String params) throws IOException, InterruptedException {
    ObjectNode req = JSON.createObjectNode().put("action", action).put("version", 6);
    req.set("params", JSON.readTree(params));
    return raw(req.toString());
  }

  /** The {@code result} of {@code action}; an {@code error} fails the test. */
  public JsonNode call(String action, String params) throws IOException, InterruptedException {
    JsonNode a = answer(action, params);
    if (!a.path("error").isNull()) {
      throw new AssertionError(action + " " + params + " failed: " + a.get("error"));
    }
    return a.get("result");
  }

  /** Adds a Basic note with {@code front} to {@code deck} and returns its id. */
  public long addNote(String deck, String front) throws IOException, InterruptedException {
    return call("addNote", "{\"note\": {\"deckName\": " + JSON.writeValueAsString(deck)
        + ", \"modelName\": \"Basic\", \"fields\": {\"Front\": " + JSON.writeValueAsString(front)
        + ", \"Back\": \"b\"}}}").asLong();
  }
}
