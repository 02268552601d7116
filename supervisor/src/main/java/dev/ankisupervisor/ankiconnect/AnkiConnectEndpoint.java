package dev.ankisupervisor.ankiconnect;

import java.util.Objects;
import java.util.Optional;

/**
 * Where AnkiConnect listens and the API key to send. {@link #toString()} never prints the key.
 *
 * @param url base URL, e.g. {@code http://127.0.0.1:8765/}
 * @param apiKey the key sent in every request's {@code key} field (A2), if one is configured
 */
public record AnkiConnectEndpoint(String url, Optional<String> apiKey) {
  public AnkiConnectEndpoint {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(apiKey, "apiKey");
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      throw new IllegalArgumentException("AnkiConnect url must start with http:// or https://, found " + url);
    }
  }

  public static AnkiConnectEndpoint of(String host, int port, Optional<String> apiKey) {
    String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    return new AnkiConnectEndpoint("http://" + h + ":" + port + "/", apiKey);
  }

  @Override
  public String toString() {
    return "AnkiConnectEndpoint[url=" + url + ", apiKey=" + (apiKey.isPresent() ? "<set>" : "<none>") + "]";
  }
}
