package dev.ankisupervisor.ankiconnect;

import java.util.List;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;

/**
 * The HTTP clients of the supervisor, one per kind of URL. AnkiConnect and the self-hosted sync
 * server speak plain HTTP here (A3, S1), so a client for an {@code http://} URL allows cleartext
 * only: OkHttp then never builds its TLS machinery (trust managers, socket factories: some two
 * hundred classes and the JDK's security providers). A client with TLS is made the first time an
 * {@code https://} URL is configured. Neither retries on a failed connection (a probe must see it).
 *
 * <p>Threading: the clients are immutable and shared; any thread.
 */
public final class HttpClients {
  private HttpClients() {}

  /** Made when first asked for: cleartext only. */
  private static final class Cleartext {
    static final OkHttpClient CLIENT = new OkHttpClient.Builder().retryOnConnectionFailure(false)
        .connectionSpecs(List.of(ConnectionSpec.CLEARTEXT)).build();
  }

  /** Made when first asked for: TLS and cleartext (OkHttp's defaults). */
  private static final class WithTls {
    static final OkHttpClient CLIENT = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
  }

  /** The shared client for {@code url}: cleartext only unless it starts with {@code https://}. */
  public static OkHttpClient forUrl(String url) {
    return url.regionMatches(true, 0, "https://", 0, 8) ? WithTls.CLIENT : Cleartext.CLIENT;
  }
}
