package dev.ankisupervisor.standin.syncserver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One user's server-side data (S2): {@code <base>/<user>/collection.anki2}, opened on first use in
 * WAL mode with {@code locking_mode=exclusive} and held (locked) until {@link #close()}, plus
 * {@code media/} and a small {@code media.db} made at start. Automatic checkpoints are off, so
 * recent writes live only in {@code collection.anki2-wal} while the server runs (S2: copying the
 * main file alone misses them); a clean {@link #close()} checkpoints and removes the -wal.
 * Thread-safe: every method is synchronized (the real server serves one user's requests under a
 * mutex too).
 */
final class ServerCollection {
  private final String user;
  private final Path folder;
  private Connection db; // null until first use, and after close()
  private boolean closed; // close() ran: the server is stopping, no reopening

  ServerCollection(String user, Path folder) throws IOException, SQLException {
    this.user = user;
    this.folder = folder;
    Files.createDirectories(folder.resolve("media"));
    try (Connection media = DriverManager.getConnection("jdbc:sqlite:" + folder.resolve("media.db"));
        Statement st = media.createStatement()) {
      st.execute("create table if not exists media (fname text primary key, usn integer not null,"
          + " sha1 text)");
      st.execute("create table if not exists meta (last_usn integer not null)");
    }
  }

  String user() {
    return user;
  }

  Path collectionFile() {
    return folder.resolve("collection.anki2");
  }

  /** What a client needs to decide the kind of sync (C8). */
  record Meta(String scm, String digest, boolean empty, long usn, long modMs) {}

  synchronized Meta meta() throws SQLException {
    CollectionContent c = CollectionTables.read(open());
    long[] modUsn = modAndUsn();
    return new Meta(c.scm(), c.digest(), c.isEmpty(), modUsn[1], modUsn[0]);
  }

  synchronized CollectionContent content() throws SQLException {
    return CollectionTables.read(open());
  }

  /** A normal sync: merges the client's decks and cards in, returns the merged whole. */
  synchronized CollectionContent merge(CollectionContent client) throws SQLException {
    CollectionContent mine = CollectionTables.read(open());
    CollectionContent merged = mine.mergedWith(client);
    if (!merged.digest().equals(mine.digest())) {
      CollectionTables.write(db, merged, false);
      bump();
    }
    return CollectionTables.read(db);
  }

  /** A full upload: the client's collection replaces this one, schema identity included. */
  synchronized void replace(CollectionContent client) throws SQLException {
    CollectionTables.write(open(), client, true);
    bump();
  }

  /** Adds a deck with {@code cards} new cards (seeding and the loopback admin endpoint). */
  synchronized void addDeck(String deck, int cards) throws SQLException {
    CollectionContent mine = CollectionTables.read(open());
    List<CollectionContent.Card> all = new ArrayList<>(mine.cards());
    List<String> decks = new ArrayList<>(mine.decks());
    if (!decks.contains(deck)) {
      decks.add(deck);
    }
    long now = System.currentTimeMillis();
    long id = all.stream().mapToLong(CollectionContent.Card::id).max().orElse(now) + 1;
    id = Math.max(id, now);
    for (int i = 1; i <= cards; i++) {
      all.add(new CollectionContent.Card(id++, deck, deck + " front " + i, deck + " back " + i, now));
    }
    CollectionTables.write(db, new CollectionContent(mine.scm(), decks, all, mine.config()), false);
    bump();
  }

  /** Seeds decks and cards when the collection has no cards yet (STANDIN_SYNC_SEED). */
  synchronized boolean seedIfEmpty(Map<String, Integer> seed) throws SQLException {
    if (seed.isEmpty() || !CollectionTables.read(open()).isEmpty()) {
      return false;
    }
    for (Map.Entry<String, Integer> e : seed.entrySet()) {
      addDeck(e.getKey(), e.getValue());
    }
    return true;
  }

  /** Closes the collection cleanly: SQLite checkpoints the WAL and removes the -wal file. */
  synchronized void close() throws SQLException {
    if (db != null) {
      try (Statement st = db.createStatement()) {
        st.execute("pragma wal_checkpoint(TRUNCATE)");
      }
      db.close();
      db = null;
    }
    closed = true;
  }

  private Connection open() throws SQLException {
    if (closed) {
      throw new SQLException("collection of " + user + " is closed: the server is stopping");
    }
    if (db == null) {
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + collectionFile());
      try (Statement st = c.createStatement()) {
        // Exclusive before WAL: the WAL index then lives in heap memory (no -shm) and the file
        // stays locked from first use until close (C7, S2).
        st.execute("pragma locking_mode = exclusive");
        st.execute("pragma journal_mode = wal");
        // No automatic checkpoints while running: recent data stays in the -wal (S2).
        st.execute("pragma wal_autocheckpoint = 0");
        st.execute("pragma busy_timeout = 0");
      }
      CollectionTables.ensure(c);
      db = c;
    }
    return db;
  }

  private long[] modAndUsn() throws SQLException {
    try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("select mod, usn from col where id = 1")) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2)};
    }
  }

  private void bump() throws SQLException {
    try (PreparedStatement ps = db.prepareStatement("update col set mod = ?, usn = usn + 1 where id = 1")) {
      ps.setLong(1, System.currentTimeMillis());
      ps.executeUpdate();
    }
  }
}
