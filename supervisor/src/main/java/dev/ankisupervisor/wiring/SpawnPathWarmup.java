package dev.ankisupervisor.wiring;

import dev.ankisupervisor.files.SqliteLibrary;
import dev.ankisupervisor.model.ExitReason;
import dev.ankisupervisor.watch.LastExit;
import dev.ankisupervisor.watch.SupervisorSnapshot;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Collections;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;

/**
 * The one-time work on {@code run}'s path to Anki's spawn that has no effect outside this JVM, done
 * on a daemon thread while the main thread parses the command line on the other core:
 * Logback's start, SQLite's native library and JDBC driver (an in-memory database, opened, one
 * query run and closed: prefs21.db is read next), and the socket and interface machinery of the bind-address
 * check (the interface list; a socket, never bound, opened and closed). The path does the same work
 * again moments later, by then without the first-use cost (class initialisation is done once, by
 * whichever thread comes first; the other waits for it). Nothing here can fail the command: an error
 * is met again, and reported, by the path itself.
 *
 * <p>While logging starts here, another thread's log call gets SLF4J's stand-in logger, which keeps the
 * call and replays it later with a warning on stderr ("A number (2) of logging calls during the
 * initialization phase have been intercepted"): so the main thread waits for {@link #awaitLogging}
 * before its first log line.
 */
public final class SpawnPathWarmup {
  /** Open once the warm-up has set up logging; null while no warm-up runs in this JVM. */
  private static volatile CountDownLatch logging;

  private SpawnPathWarmup() {}

  /** Starts the warm-up when {@code args} name a command that spawns Anki ({@code run}, {@code demo}). */
  public static void startFor(String... args) {
    if (args.length > 0 && (args[0].equals("run") || args[0].equals("demo"))) {
      CountDownLatch loggingSetUp = new CountDownLatch(1);
      logging = loggingSetUp;
      Thread t = new Thread(() -> warm(loggingSetUp), "warm-up");
      t.setDaemon(true);
      t.start();
    }
  }

  /** Returns once the warm-up has set up logging (at once when no warm-up runs, or it is done). */
  public static void awaitLogging() {
    CountDownLatch loggingSetUp = logging;
    if (loggingSetUp == null) {
      return;
    }
    try {
      loggingSetUp.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void warm(CountDownLatch loggingSetUp) {
    try {
      try {
        LoggerFactory.getILoggerFactory();
      } finally {
        loggingSetUp.countDown();
      }
      SqliteLibrary.useCachedCopy();
      // what prefs21.db's check then runs: a statement and its result set (not the metadata, which it never reads)
      try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:"); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select 1")) {
        rs.next();
      }
      try (ServerSocket s = new ServerSocket()) {
        s.getReuseAddress();
      }
      Collections.list(NetworkInterface.getNetworkInterfaces());
      // A record's first equals is bootstrapped through method handles, which the class-data
      // archive does not hold (tens of milliseconds): the supervisor compares its snapshots right
      // after the launch, and after a crash snapshots holding the last exit.
      SupervisorSnapshot.initial("warm-up").equals(SupervisorSnapshot.initial("warm-up"));
      new LastExit(Instant.EPOCH, OptionalInt.empty(), Optional.empty(), ExitReason.CRASHED)
          .equals(new LastExit(Instant.EPOCH, OptionalInt.empty(), Optional.empty(), ExitReason.CRASHED));
    } catch (Exception | LinkageError e) {
      // the path meets it again and reports it
    }
  }
}
