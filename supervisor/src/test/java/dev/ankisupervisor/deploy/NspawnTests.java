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

  /**
   * POSTs {@code deckNames} with the API key from inside the container (its own network, where the
   * host cannot reach) to {@code address:port}, with the container's python3; the reply as JSON text.
   */
  static String deckNamesInside(SystemdContainer c, String address, int port, String apiKey)
      throws IOException, InterruptedException {
    return c.exec(Duration.ofSeconds(30), "python3", "-c", "import urllib.request as u, json; r = u.Request('http://"
        + address + ":" + port + "/', data=json.dumps({'action': 'deckNames', 'version': 6, 'key': '" + apiKey + "'}).encode());"
        + " print(json.dumps(json.loads(u.urlopen(r, timeout=10).read())))").ok().out();
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
