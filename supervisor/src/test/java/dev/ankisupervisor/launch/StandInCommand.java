package dev.ankisupervisor.launch;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * For integration tests: the command line that runs the stand-in Anki from the shaded jar (the
 * "configured Anki command" of AnkiSettings), and a readiness wait through real HTTP (A4:
 * {@code deckNames} answers without error).
 */
public final class StandInCommand {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private StandInCommand() {}

  /** {@code java <small JVM flags> -cp <jar> dev.ankisupervisor.standin.StandIn anki}. */
  public static List<String> command() {
    String jar = System.getProperty("anki.supervisor.jar", "supervisor/target/anki-supervisor.jar");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return List.of(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-Xss512k", "-Xmx64m",
        "-cp", jar, "dev.ankisupervisor.standin.StandIn", "anki");
  }

  /** One AnkiConnect call on 127.0.0.1:port; the reply body, or null when nothing answers. */
  public static String call(int port, String action) {
    try {
      HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
          .timeout(Duration.ofSeconds(5))
          .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"" + action + "\",\"version\":6}")).build();
      return HTTP.send(req, HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** True when {@code deckNames} answers with a result (a collection is open). */
  public static boolean isReady(int port) {
    String body = call(port, "deckNames");
    return body != null && body.contains("\"error\":null") && body.contains("\"result\":[");
  }
}
