package dev.ankisupervisor.ankiconnect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;

/**
 * The per-call clients against a real (loopback) HTTP server that keeps connections alive, as the
 * sync server does: every call opens its own connection (a pooled one the server closed while idle
 * would fail the next /health probe), and each of OkHttp's four timeouts is the one given.
 */
class HttpClientsTest {
  @Test
  void eachCallOpensItsOwnConnection() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(new MockResponse().setBody("ok"));
      server.enqueue(new MockResponse().setBody("ok"));
      server.start();
      String url = server.url("/health").toString();
      for (int i = 0; i < 2; i++) {
        try (Response r = HttpClients.forCall(url, Duration.ofSeconds(5)).newCall(new Request.Builder().url(url).build())
            .execute()) {
          assertThat(r.code()).isEqualTo(200);
        }
      }
      server.takeRequest(5, TimeUnit.SECONDS);
      // the second request is the first on its connection: nothing was reused
      assertThat(server.takeRequest(5, TimeUnit.SECONDS).getSequenceNumber()).isZero();
    }
  }

  @Test
  void everyTimeoutIsTheOneGivenNoLibraryDefault() {
    OkHttpClient c = HttpClients.forCall("http://127.0.0.1:1/", Duration.ofMinutes(10));
    assertThat(c.callTimeoutMillis()).isEqualTo(600_000);
    assertThat(c.connectTimeoutMillis()).isEqualTo(600_000);
    assertThat(c.readTimeoutMillis()).isEqualTo(600_000);
    assertThat(c.writeTimeoutMillis()).isEqualTo(600_000);
  }
}
