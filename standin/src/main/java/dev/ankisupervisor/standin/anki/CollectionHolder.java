package dev.ankisupervisor.standin.anki;

import dev.ankisupervisor.standin.CollectionSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * The open {@code collection.anki2} (C7): WAL, {@code locking_mode=exclusive}, no busy wait, and
 * the exclusive lock taken at open and held for life, so {@code /proc/locks} shows this pid's
 * POSIX write lock and every other opener gets "database is locked". A leftover {@code -wal} is
 * never deleted: SQLite replays it. {@link #close()} checkpoints, so the {@code -wal} goes away.
 * Used under the GUI lock only (one thread at a time).
 */
final class CollectionHolder implements AutoCloseable {
  private final Path path;
  private final Connection connection;

  private CollectionHolder(Path path, Connection connection) {
    this.path = path;
    this.connection = connection;
  }

  /** Opens (creating if new) and locks the collection; throws what SQLite says when it cannot. */
  static CollectionHolder open(Path path) throws SQLException {
    try {
      Files.createDirectories(path.getParent());
    } catch (java.io.IOException e) {
      throw new SQLException("cannot create profile folder " + path.getParent() + ": " + e.getMessage(), e);
    }
    Properties props = new Properties();
    props.setProperty("busy_timeout", "0");
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + path, props);
    try (Statement st = c.createStatement()) {
      st.execute("pragma locking_mode=exclusive");
      st.execute("pragma journal_mode=wal");
      // Take the lock now and keep it: in exclusive locking mode a write transaction's lock stays.
      st.execute("begin exclusive");
      for (String sql : CollectionSchema.CREATE) {
        st.execute(sql);
      }
      st.execute("commit");
    } catch (SQLException e) {
      try {
        c.close();
      } catch (SQLException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
    return new CollectionHolder(path, c);
  }

  Connection connection() {
    return connection;
  }

  Path path() {
    return path;
  }

  /** Checkpoints the WAL into the database and closes, releasing the lock (C6 clean close). */
  @Override
  public void close() throws SQLException {
    try (Statement st = connection.createStatement()) {
      st.execute("pragma wal_checkpoint(TRUNCATE)");
    } finally {
      connection.close();
    }
  }
}
