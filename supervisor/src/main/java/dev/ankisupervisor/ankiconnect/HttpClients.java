package dev.ankisupervisor.ankiconnect;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;

/**
 * The HTTP clients of the supervisor, one per kind of URL. AnkiConnect and the self-hosted sync
 * server speak plain HTTP here (A3, S1), so a client for an {@code http://} URL allows cleartext
 * only: OkHttp then never builds its TLS machinery (trust managers, socket factories: some two
 * hundred classes and the JDK's security providers). A client with TLS is made the first time an
 * {@code https://} URL is configured. Neither retries on a failed connection (a probe must see it).
 *
 * <p>Every call goes through {@link #forCall}: each of OkHttp's four timeouts (connect, read, write,
 * whole call) is the one timeout the caller documents, so no library default (OkHttp's 10 s read
 * timeout) cuts a long sync short; and no connection is kept for a later call, so a connection the
 * peer closed while idle (A3: AnkiConnect after every reply; a sync server after its keep-alive)
 * can never fail the next probe.
 *
 * <p>Threading: the clients are immutable and shared; any thread.
 */
public final class HttpClients {
  private HttpClients() {}

  /** Made when first asked for: cleartext only, nothing pooled. */
  private static final class Cleartext {
    static final OkHttpClient CLIENT = new OkHttpClient.Builder().retryOnConnectionFailure(false)
        .connectionPool(noReuse()).connectionSpecs(List.of(ConnectionSpec.CLEARTEXT)).build();
  }

  /** Made when first asked for: TLS and cleartext (OkHttp's defaults), nothing pooled. */
  private static final class WithTls {
    static final OkHttpClient CLIENT = new OkHttpClient.Builder().retryOnConnectionFailure(false)
        .connectionPool(noReuse()).build();
  }

  /** A pool that keeps no idle connection: each call opens its own. */
  private static ConnectionPool noReuse() {
    return new ConnectionPool(0, 1, TimeUnit.MILLISECONDS);
  }

  /**
   * A client for one call to {@code url}: cleartext only unless it starts with {@code https://};
   * connect, read, write and the whole call each bounded by {@code timeout} (zero: no bound, as
   * OkHttp counts it).
   */
  public static OkHttpClient forCall(String url, Duration timeout) {
    OkHttpClient base = url.regionMatches(true, 0, "https://", 0, 8) ? WithTls.CLIENT : Cleartext.CLIENT;
    return base.newBuilder().callTimeout(timeout).connectTimeout(timeout).readTimeout(timeout)
        .writeTimeout(timeout).build();
  }
}
