package dev.ankisupervisor.standin.syncserver;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Plays the Anki sync server by the contract (S1-S3, C8): {@code stand-in sync-server} reads
 * SYNC_USER1..n, SYNC_BASE, SYNC_HOST, SYNC_PORT, PASSWORDS_HASHED, MAX_SYNC_PAYLOAD_MEGS and the
 * stand-in's knobs (docs/standin.md, "The stand-in sync server"), serves {@code GET /health}, the stand-in sync
 * protocol under {@code /sync/} and test-only admin calls under {@code /standin/} (loopback).
 * SIGINT closes every collection cleanly (checkpoint, -wal removed) and exits 0; SIGTERM kills the
 * process at once, leaving the -wal to be replayed on the next start (S3). The main thread only
 * starts things; requests run on a cached worker pool; the SIGINT handler runs on the JVM's
 * signal thread.
 */
public final class StandInSyncServer {
  private StandInSyncServer() {}

  public static void main(String[] args) throws Exception {
    ServerLog log = new ServerLog(System.out, System.err, Clock.systemUTC());
    SyncServerSettings settings;
    try {
      settings = SyncServerSettings.fromEnv(System.getenv());
    } catch (IllegalArgumentException e) {
      failLikeUpstream(log, "unable to create server", e.getMessage());
      return;
    }
    if (settings.passwordsHashed()) {
      log.standIn("PASSWORDS_HASHED is set: the password parts are PHC hashes, which upstream uses only"
          + " for logins (not served by the stand-in); host keys stay the SHA-1 of the exact"
          + " SYNC_USERn value 'user:<hash>' (C8)");
    }
    Map<String, ServerCollection> byHostKey = new LinkedHashMap<>();
    Map<String, ServerCollection> byUser = new LinkedHashMap<>();
    for (SyncAccount account : settings.accounts()) {
      ServerCollection col = new ServerCollection(account.name(), settings.base().resolve(account.name()));
      byHostKey.put(account.hostKey(), col);
      byUser.put(account.name(), col);
      if (col.seedIfEmpty(settings.seed())) {
        log.standIn("seeded " + settings.seed() + " for user " + account.name());
      }
    }
    HttpServer server;
    String address = settings.host() + ":" + settings.port();
    try {
      server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 64);
    } catch (IOException e) {
      failLikeUpstream(log, "couldn't bind to " + address, String.valueOf(e.getMessage()));
      return;
    }
    // One thread per request in flight, so stalled sync calls (STANDIN_SYNC_DELAY_MS) never
    // starve /health, as upstream's async server does not.
    ExecutorService workers = Executors.newCachedThreadPool();
    server.setExecutor(workers);
    server.createContext("/health", ex -> SyncRoutes.reply(ex, 200, ""));
    server.createContext("/sync/", new SyncRoutes(settings, byHostKey, log));
    server.createContext("/standin/", new AdminRoutes(byUser));
    server.start();
    List<ServerCollection> all = new ArrayList<>(byUser.values());
    installSignals(server, workers, all, log);
    InetSocketAddress bound = server.getAddress();
    log.info("listening addr=" + bound.getAddress().getHostAddress() + ":" + bound.getPort());
    log.standIn("users " + byUser.keySet() + ", base " + settings.base()
        + knobs(settings));
  }

  /** SIGINT: graceful (S3). SIGTERM: the OS default, death at once (S3; the -wal survives). */
  private static void installSignals(
      HttpServer server, ExecutorService workers, List<ServerCollection> all, ServerLog log) {
    SignalHandler before = Signal.handle(new Signal("INT"), sig -> {
      // Close first, then stop serving: once the HTTP threads end, nothing but this (daemon)
      // signal thread would keep the JVM alive.
      log.standIn("SIGINT: closing collections");
      int code = 0;
      for (ServerCollection col : all) {
        try {
          col.close();
          log.standIn("closed " + col.collectionFile() + (java.nio.file.Files.exists(
              col.collectionFile().resolveSibling("collection.anki2-wal")) ? " (its -wal is still there)" : ""));
        } catch (SQLException e) {
          log.standIn("closing " + col.collectionFile() + " failed: " + e.getMessage());
          code = 1;
        }
      }
      server.stop(0);
      workers.shutdownNow();
      Runtime.getRuntime().halt(code);
    });
    if (before == SignalHandler.SIG_IGN) {
      // The JVM keeps an inherited "ignore" for SIGINT (e.g. `cmd &` in a non-interactive shell).
      log.standIn("SIGINT is ignored (inherited from the parent), so no graceful stop by SIGINT;"
          + " start the server from a shell with job control (set -m) or from a program");
    }
    try {
      Signal.handle(new Signal("TERM"), SignalHandler.SIG_DFL);
    } catch (IllegalArgumentException e) {
      Signal.handle(new Signal("TERM"), sig -> Runtime.getRuntime().halt(143));
    }
  }

  private static String knobs(SyncServerSettings s) {
    StringBuilder b = new StringBuilder();
    if (s.failStatus() != 0) {
      b.append(", STANDIN_SYNC_FAIL_STATUS=").append(s.failStatus());
    }
    if (!s.delay().isZero()) {
      b.append(", STANDIN_SYNC_DELAY_MS=").append(s.delay().toMillis());
    }
    if (s.busy()) {
      b.append(", STANDIN_SYNC_BUSY=1");
    }
    return b.toString();
  }

  /**
   * Upstream prints a snafu report to stdout and still exits 0 (rslib/sync/main.rs prints the
   * result of {@code SimpleServer::run()}); the stand-in does the same and says so on stderr.
   */
  private static void failLikeUpstream(ServerLog log, String what, String cause) {
    System.out.println("Error: " + what + "\n\nCaused by this error:\n  1. " + cause);
    System.out.flush();
    log.standIn("startup failed (" + cause + "); exiting 0 as upstream's anki-sync-server does");
    System.exit(0);
  }
}
