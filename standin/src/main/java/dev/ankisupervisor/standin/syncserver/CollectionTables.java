package dev.ankisupervisor.standin.syncserver;

import dev.ankisupervisor.standin.CollectionSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Reads and writes a {@link CollectionContent} in a collection with {@link CollectionSchema}'s
 * tables, on either side of a sync. Adds one table of its own, {@code standin_sync(scm)}, that
 * holds the collection's schema identity (created with a random value on first use). Stateless;
 * the caller owns the connection and its thread.
 */
public final class CollectionTables {
  private CollectionTables() {}

  private static final String SCM_TABLE =
      "create table if not exists standin_sync (id integer primary key check (id = 1), scm text not null)";

  /** Creates the collection tables (idempotent) and gives the collection a schema identity. */
  public static void ensure(Connection db) throws SQLException {
    try (Statement st = db.createStatement()) {
      for (String sql : CollectionSchema.CREATE) {
        st.execute(sql);
      }
      st.execute(SCM_TABLE);
    }
    try (PreparedStatement ps =
        db.prepareStatement("insert or ignore into standin_sync (id, scm) values (1, ?)")) {
      ps.setString(1, UUID.randomUUID().toString());
      ps.executeUpdate();
    }
  }

  /** The whole content of the collection. */
  public static CollectionContent read(Connection db) throws SQLException {
    ensure(db);
    String scm;
    List<String> decks = new ArrayList<>();
    Map<Long, String> deckNames = new HashMap<>();
    List<CollectionContent.Card> cards = new ArrayList<>();
    Map<String, String> config = new LinkedHashMap<>();
    try (Statement st = db.createStatement()) {
      try (ResultSet rs = st.executeQuery("select scm from standin_sync where id = 1")) {
        rs.next();
        scm = rs.getString(1);
      }
      try (ResultSet rs = st.executeQuery("select id, name from decks order by id")) {
        while (rs.next()) {
          decks.add(rs.getString(2));
          deckNames.put(rs.getLong(1), rs.getString(2));
        }
      }
      try (ResultSet rs = st.executeQuery("select id, did, front, back, mod from cards order by id")) {
        while (rs.next()) {
          String deck = deckNames.getOrDefault(rs.getLong(2), "Default");
          cards.add(new CollectionContent.Card(
              rs.getLong(1), deck, rs.getString(3), rs.getString(4), rs.getLong(5)));
        }
      }
      try (ResultSet rs = st.executeQuery("select key, val from config order by key")) {
        while (rs.next()) {
          config.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    return new CollectionContent(scm, decks, cards, config);
  }

  /**
   * Makes the collection hold exactly {@code content}'s decks and cards (keeping the ids of decks
   * it already has, by name); with {@code withConfigAndScm} also its config and schema identity
   * (a full sync). Runs in one transaction.
   */
  public static void write(Connection db, CollectionContent content, boolean withConfigAndScm)
      throws SQLException {
    ensure(db);
    boolean auto = db.getAutoCommit();
    db.setAutoCommit(false);
    try {
      Map<String, Long> ids = deckIds(db, content.decks());
      try (Statement st = db.createStatement()) {
        st.execute("delete from cards");
      }
      try (PreparedStatement ps = db.prepareStatement(
          "insert into cards (id, did, front, back, mod) values (?, ?, ?, ?, ?)")) {
        for (CollectionContent.Card c : content.cards()) {
          ps.setLong(1, c.id());
          ps.setLong(2, ids.get(c.deck()));
          ps.setString(3, c.front());
          ps.setString(4, c.back());
          ps.setLong(5, c.mod());
          ps.executeUpdate();
        }
      }
      if (withConfigAndScm) {
        try (Statement st = db.createStatement()) {
          st.execute("delete from config");
        }
        try (PreparedStatement ps = db.prepareStatement("insert into config (key, val) values (?, ?)")) {
          for (Map.Entry<String, String> e : content.config().entrySet()) {
            ps.setString(1, e.getKey());
            ps.setString(2, e.getValue());
            ps.executeUpdate();
          }
        }
        try (PreparedStatement ps = db.prepareStatement("update standin_sync set scm = ? where id = 1")) {
          ps.setString(1, content.scm());
          ps.executeUpdate();
        }
      }
      db.commit();
    } catch (SQLException | RuntimeException e) {
      db.rollback();
      throw e;
    } finally {
      db.setAutoCommit(auto);
    }
  }

  /** Sets {@code col}'s modification time, usn and last-sync time (Anki's col row). */
  public static void stamp(Connection db, long modMs, long usn, long lastSyncMs) throws SQLException {
    try (PreparedStatement ps = db.prepareStatement("update col set mod = ?, usn = ?, ls = ? where id = 1")) {
      ps.setLong(1, modMs);
      ps.setLong(2, usn);
      ps.setLong(3, lastSyncMs);
      ps.executeUpdate();
    }
  }

  /** The col row's usn. */
  public static long usn(Connection db) throws SQLException {
    try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("select usn from col where id = 1")) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /** Deck name -> id for every wanted name (existing ids kept, new ones added); drops the rest. */
  private static Map<String, Long> deckIds(Connection db, List<String> wanted) throws SQLException {
    Map<String, Long> ids = new HashMap<>();
    long maxId = 1;
    try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("select id, name from decks")) {
      while (rs.next()) {
        ids.put(rs.getString(2), rs.getLong(1));
        maxId = Math.max(maxId, rs.getLong(1));
      }
    }
    Set<String> keep = new HashSet<>(wanted);
    keep.add("Default"); // deck 1 always exists, as in Anki
    try (PreparedStatement del = db.prepareStatement("delete from decks where id = ?")) {
      for (Map.Entry<String, Long> e : ids.entrySet()) {
        if (!keep.contains(e.getKey()) && e.getValue() != 1L) {
          del.setLong(1, e.getValue());
          del.executeUpdate();
        }
      }
    }
    ids.keySet().retainAll(keep);
    try (PreparedStatement ins = db.prepareStatement("insert into decks (id, name) values (?, ?)")) {
      for (String name : keep) {
        if (!ids.containsKey(name)) {
          maxId = Math.max(maxId + 1, System.currentTimeMillis());
          ins.setLong(1, maxId);
          ins.setString(2, name);
          ins.executeUpdate();
          ids.put(name, maxId);
        }
      }
    }
    return ids;
  }
}
