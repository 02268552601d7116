package dev.ankisupervisor.standin.syncserver;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What the stand-in sync protocol moves between stand-in Anki and the stand-in sync server: the
 * decks and cards of a collection (cards name their deck, since deck ids are local to each side),
 * its config values (raw JSON text) and its schema identity {@code scm}. Two collections with
 * different {@code scm} share no history, so only a full sync can join them (C8), as Anki's
 * schema-time check does (rslib/src/sync/collection/meta.rs). Immutable; any thread.
 */
public record CollectionContent(
    String scm, List<String> decks, List<Card> cards, Map<String, String> config) {

  /** One card; {@code mod} is its modification time in ms (last writer wins in a merge). */
  public record Card(long id, String deck, String front, String back, long mod) {}

  public CollectionContent {
    decks = List.copyOf(decks);
    cards = List.copyOf(cards);
    config = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(config));
  }

  /** Anki's "empty" for full-sync decisions: the collection has no cards. */
  @JsonIgnore
  public boolean isEmpty() {
    return cards.isEmpty();
  }

  /**
   * A fingerprint of the decks and cards (not config): equal on both sides means nothing to
   * sync. Stands in for Anki's comparison of the collections' modification times.
   */
  public String digest() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String deck : new TreeSet<>(decks)) {
        sha.update(("d\0" + deck + "\0").getBytes(StandardCharsets.UTF_8));
      }
      List<Card> sorted = new ArrayList<>(cards);
      sorted.sort(Comparator.comparingLong(Card::id));
      for (Card c : sorted) {
        String line = "c\0" + c.id() + "\0" + c.deck() + "\0" + c.front() + "\0" + c.back() + "\0" + c.mod() + "\0";
        sha.update(line.getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from this JVM", e);
    }
  }

  /**
   * A normal sync's merge: the union of the decks (by name) and of the cards (by id; the one
   * with the newer {@code mod} wins, ties go to {@code this}, the server). Keeps this side's scm
   * and config. Deletions are not carried (the stand-in does not track graves).
   */
  public CollectionContent mergedWith(CollectionContent other) {
    TreeSet<String> names = new TreeSet<>(decks);
    names.addAll(other.decks);
    Map<Long, Card> byId = new LinkedHashMap<>();
    for (Card c : cards) {
      byId.put(c.id(), c);
    }
    for (Card c : other.cards) {
      Card mine = byId.get(c.id());
      if (mine == null || c.mod() > mine.mod()) {
        byId.put(c.id(), c);
      }
    }
    for (Card c : byId.values()) {
      names.add(c.deck());
    }
    return new CollectionContent(scm, List.copyOf(names), List.copyOf(byId.values()), config);
  }

  /** The same decks, cards and config under another schema identity (after a full sync). */
  public CollectionContent withScm(String newScm) {
    return new CollectionContent(newScm, decks, cards, config);
  }
}
