package dev.ankisupervisor.standin.syncserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A normal sync's merge: decks by name, cards by id with the newer mod winning. */
class CollectionContentTest {
  private static CollectionContent.Card card(long id, String deck, String front, long mod) {
    return new CollectionContent.Card(id, deck, front, "b", mod);
  }

  @Test
  void mergeUnitesDecksAndKeepsTheNewerCard() {
    CollectionContent server = new CollectionContent("s", List.of("Default", "A"),
        List.of(card(1, "A", "old", 10), card(2, "A", "server", 30)), Map.of("k", "1"));
    CollectionContent client = new CollectionContent("s", List.of("Default", "B"),
        List.of(card(1, "B", "new", 20), card(2, "A", "client", 20), card(3, "B", "added", 5)), Map.of());

    CollectionContent merged = server.mergedWith(client);

    assertThat(merged.decks()).containsExactly("A", "B", "Default");
    assertThat(merged.cards()).extracting(CollectionContent.Card::front).containsExactly("new", "server", "added");
    assertThat(merged.scm()).isEqualTo("s");
    assertThat(merged.config()).containsEntry("k", "1");
    assertThat(merged.mergedWith(client).digest()).isEqualTo(merged.digest());
  }

  @Test
  void digestIgnoresOrderButSeesEveryChange() {
    CollectionContent a = new CollectionContent("x", List.of("A", "B"), List.of(card(1, "A", "f", 1), card(2, "B", "g", 1)), Map.of());
    CollectionContent b = new CollectionContent("y", List.of("B", "A"), List.of(card(2, "B", "g", 1), card(1, "A", "f", 1)), Map.of());
    assertThat(a.digest()).isEqualTo(b.digest());
    CollectionContent c = new CollectionContent("x", List.of("A", "B"), List.of(card(1, "A", "f", 2), card(2, "B", "g", 1)), Map.of());
    assertThat(c.digest()).isNotEqualTo(a.digest());
    assertThat(a.isEmpty()).isFalse();
  }
}
