package dev.ankisupervisor.wiring;

import dev.ankisupervisor.files.SqliteLibrary;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Collections;
import org.slf4j.LoggerFactory;

/**
 * The one-time work on {@code run}'s path to Anki's spawn that has no effect outside this JVM, done
 * on a daemon thread while the main thread parses the command line (picocli) on the other core:
 * Logback's start, SQLite's native library and JDBC driver (an in-memory database, opened and
 * closed: prefs21.db is written next), and the socket and interface machinery of the bind-address
 * check (the interface list; a socket, never bound, opened and closed). The path does the same work
 * again moments later, by then without the first-use cost (class initialisation is done once, by
 * whichever thread comes first; the other waits for it). Nothing here can fail the command: an error
 * is met again, and reported, by the path itself.
 */
public final class SpawnPathWarmup {
  private SpawnPathWarmup() {}

  /** Starts the warm-up when {@code args} name a command that spawns Anki ({@code run}, {@code demo}). */
  public static void startFor(String... args) {
    if (args.length > 0 && (args[0].equals("run") || args[0].equals("demo"))) {
      Thread t = new Thread(SpawnPathWarmup::warm, "warm-up");
      t.setDaemon(true);
      t.start();
    }
  }

  private static void warm() {
    try {
      LoggerFactory.getILoggerFactory();
      SqliteLibrary.useCachedCopy();
      try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:")) {
        c.getMetaData();
      }
      try (ServerSocket s = new ServerSocket()) {
        s.getReuseAddress();
      }
      Collections.list(NetworkInterface.getNetworkInterfaces());
    } catch (Exception | LinkageError e) {
      // the path meets it again and reports it
    }
  }
}
