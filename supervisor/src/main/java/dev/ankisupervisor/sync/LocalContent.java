package dev.ankisupervisor.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ankisupervisor.ankiconnect.AnkiConnectClient;
import dev.ankisupervisor.ankiconnect.AnkiConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the local collection holds, as far as AnkiConnect shows it: its cards (counted, never
 * listed: a big collection's ids would not fit the heap) and its decks. The bootstrap downloads
 * only over a collection that {@link #holdsNothing}; P2's {@code fullSync} checks the rest (notes,
 * config keys) itself before it downloads. Immutable; any thread.
 *
 * @param cards how many cards ({@code findCards "deck:*"})
 * @param decks the deck names ({@code deckNames})
 */
record LocalContent(long cards, List<String> decks) {
  /** Matches every card (rslib: {@code deck:*} is any deck). */
  static final String ALL_CARDS = "deck:*";
  /** The deck every collection has from the start. */
  static final String DEFAULT_DECK = "Default";

  LocalContent {
    decks = List.copyOf(decks);
  }

  static LocalContent read(AnkiConnectClient client, Duration timeout) throws AnkiConnectException {
    List<String> names = new ArrayList<>();
    for (JsonNode n : client.call("deckNames", timeout)) {
      names.add(n.asText());
    }
    long cards = client.count("findCards", Map.of("query", ALL_CARDS), timeout);
    return new LocalContent(cards, names);
  }

  /** No card and no deck but Default: nothing a user or an app put there that AnkiConnect can show. */
  boolean holdsNothing() {
    return cards == 0 && decks.stream().allMatch(DEFAULT_DECK::equals);
  }

  /** "12 cards in 3 decks", for the log and the status file. */
  String describe() {
    List<String> own = decks.stream().filter(d -> !d.equals(DEFAULT_DECK)).toList();
    return cards + " cards" + (own.isEmpty() ? ", no deck but Default" : ", decks " + abbreviated(own));
  }

  private static String abbreviated(List<String> names) {
    return names.size() <= 5 ? String.join(", ", names)
        : String.join(", ", names.subList(0, 5)) + " and " + (names.size() - 5) + " more";
  }
}
