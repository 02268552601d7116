package dev.ankisupervisor.standin.anki;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The deck and card actions the supervisor and its tests use (A4): {@code deckNames},
 * {@code createDeck} (creates parents of "A::B" too, returns the id; an existing deck's id when
 * the name matches case-insensitively), {@code findCards} (queries {@code ""}, {@code *},
 * {@code deck:NAME} with children, {@code deck:*}; a missing query returns [] without touching the
 * collection, as the add-on does). Run on the AnkiConnect thread.
 */
final class DeckActions {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private DeckActions() {}

  static void register(Map<String, Action> map) {
    map.put("deckNames", PythonCall.of("deckNames", List.of(), List.of(), (p, c) -> deckNames(c.collection())));
    map.put("createDeck", PythonCall.of("createDeck", List.of("deck"), List.of(), (p, c) ->
        F.numberNode(createDeck(c.collection(), p.get("deck").asText()))));
    map.put("findCards", PythonCall.of("findCards", List.of(), List.of("query"), (p, c) -> {
      JsonNode q = p.get("query");
      if (q == null || q.isNull()) {
        return F.arrayNode();
      }
      return findCards(c.collection(), q.asText());
    }));
  }

  private static JsonNode deckNames(Connection col) throws ActionError {
    ArrayNode out = F.arrayNode();
    try (PreparedStatement ps = col.prepareStatement("select name from decks order by name collate nocase");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    } catch (SQLException e) {
      throw new ActionError(e.getMessage());
    }
    return out;
  }

  static long createDeck(Connection col, String name) throws ActionError {
    try {
      String[] parts = name.split("::");
      long id = 0;
      StringBuilder path = new StringBuilder();
      for (String part : parts) {
        if (path.length() > 0) {
          path.append("::");
        }
        path.append(part.strip());
        id = ensureDeck(col, path.toString());
      }
      return id;
    } catch (SQLException e) {
      throw new ActionError(e.getMessage());
    }
  }

  private static long ensureDeck(Connection col, String name) throws SQLException {
    try (PreparedStatement ps = col.prepareStatement("select id from decks where name = ? collate nocase")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          return rs.getLong(1);
        }
      }
    }
    long now = System.currentTimeMillis();
    long id;
    try (PreparedStatement ps = col.prepareStatement("select max(max(id) + 1, ?) from decks")) {
      ps.setLong(1, now);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        id = rs.getLong(1);
      }
    }
    try (PreparedStatement ps = col.prepareStatement("insert into decks (id, name) values (?, ?)")) {
      ps.setLong(1, id);
      ps.setString(2, name);
      ps.executeUpdate();
    }
    try (PreparedStatement ps = col.prepareStatement("update col set mod = ?")) {
      ps.setLong(1, now);
      ps.executeUpdate();
    }
    return id;
  }

  private static JsonNode findCards(Connection col, String query) throws ActionError {
    String q = query.strip();
    String sql;
    String arg = null;
    if (q.isEmpty() || q.equals("*") || q.equalsIgnoreCase("deck:*")) {
      sql = "select id from cards order by id";
    } else if (q.toLowerCase(Locale.ROOT).startsWith("deck:")) {
      arg = unquote(q.substring(5));
      sql = "select c.id from cards c join decks d on c.did = d.id"
          + " where d.name = ?1 collate nocase or d.name like ?1 || '::%' order by c.id";
    } else {
      throw new ActionError("stand-in findCards supports only \"\", \"*\" and \"deck:NAME\" queries, not: " + query);
    }
    ArrayNode out = F.arrayNode();
    try (PreparedStatement ps = col.prepareStatement(sql)) {
      if (arg != null) {
        ps.setString(1, arg);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getLong(1));
        }
      }
    } catch (SQLException e) {
      throw new ActionError(e.getMessage());
    }
    return out;
  }

  private static String unquote(String s) {
    String t = s.strip();
    if (t.length() >= 2 && (t.startsWith("\"") && t.endsWith("\"") || t.startsWith("'") && t.endsWith("'"))) {
      return t.substring(1, t.length() - 1);
    }
    return t;
  }
}
