package dev.ankisupervisor.standin.syncserver;

import java.io.PrintStream;
import java.time.Clock;
import java.time.format.DateTimeFormatter;

/**
 * The sync server's console lines. Upstream's look like tracing-subscriber's default format on
 * stdout ({@code 2025-09-17T06:50:13.123456Z  INFO listening addr=0.0.0.0:8080}, see
 * rslib/src/log.rs and rslib/src/sync/http_server/mod.rs); the stand-in's own diagnostics go to
 * stderr with the {@code [stand-in]} prefix. Thread-safe (PrintStream is).
 */
final class ServerLog {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(java.time.ZoneOffset.UTC);
  private final PrintStream out;
  private final PrintStream err;
  private final Clock clock;

  ServerLog(PrintStream out, PrintStream err, Clock clock) {
    this.out = out;
    this.err = err;
    this.clock = clock;
  }

  /** An upstream-shaped INFO line on stdout. */
  void info(String message) {
    out.println(TIME.format(clock.instant()) + "  INFO " + message);
    out.flush();
  }

  /** A stand-in diagnostic on stderr. */
  void standIn(String message) {
    err.println("[stand-in] sync-server: " + message);
    err.flush();
  }
}
