package dev.ankisupervisor.deploy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;

/**
 * What the systemd container tests share: the skip rule and a plain AnkiConnect call. The tests skip
 * only where nspawn cannot run (not root, tools missing); under CI (env CI=true) that is a failure
 * instead, so CI cannot pass without running them.
 */
final class NspawnTests {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private NspawnTests() {}

  static void assumeContainersCanRun() {
    ContainerRoot.whyUnavailable().ifPresent(why -> {
      if ("true".equals(System.getenv("CI"))) {
        throw new IllegalStateException("CI must run the systemd container tests, but: " + why);
      }
      Assumptions.abort("systemd container tests skipped: " + why);
    });
  }

  /** POSTs {@code deckNames} (A4: readiness) with the API key to 127.0.0.1:port; the reply body. */
  static String deckNames(int port, String apiKey) throws IOException, InterruptedException {
    String body = "{\"action\":\"deckNames\",\"version\":6,\"key\":\"" + apiKey + "\"}";
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
        .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    return HTTP.send(req, HttpResponse.BodyHandlers.ofString()).body();
  }

  static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build();
    return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(int port, String path, String json) throws IOException, InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
    return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
  }
}
