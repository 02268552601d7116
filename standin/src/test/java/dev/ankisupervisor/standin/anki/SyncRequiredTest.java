package dev.ankisupervisor.standin.anki;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The full-sync decision, as rslib's compared_to_remote makes it (C8). */
class SyncRequiredTest {
  @Test
  void sameIdentityAndContentNeedsNothing() {
    assertThat(SyncRequired.decide(true, true, false, false)).isEqualTo(SyncRequired.NO_CHANGES);
  }

  @Test
  void sameIdentityDifferentContentIsANormalSync() {
    assertThat(SyncRequired.decide(true, false, true, false)).isEqualTo(SyncRequired.NORMAL_SYNC);
  }

  @Test
  void noSharedHistoryNarrowsToTheDirectionThatLosesNothing() {
    // local empty, server has cards: download (3)
    assertThat(SyncRequired.decide(false, false, true, false)).isEqualTo(SyncRequired.FULL_DOWNLOAD);
    // local has cards, server empty: upload (4)
    assertThat(SyncRequired.decide(false, false, false, true)).isEqualTo(SyncRequired.FULL_UPLOAD);
    // both have cards: the user must choose (2)
    assertThat(SyncRequired.decide(false, false, false, false)).isEqualTo(SyncRequired.FULL_SYNC);
  }

  /** Real Anki 25.09.2: a fresh profile's first sync against an empty server needed nothing (C8). */
  @Test
  void noSharedHistoryButNoCardsOnEitherSideNeedsNothing() {
    assertThat(SyncRequired.decide(false, true, true, true)).isEqualTo(SyncRequired.NO_CHANGES);
    assertThat(SyncRequired.decide(false, false, true, true)).isEqualTo(SyncRequired.NO_CHANGES);
  }

  @Test
  void numbersAreAnkisChangesRequired() {
    assertThat(SyncRequired.values()).extracting(r -> r.number).containsExactly(0, 1, 2, 3, 4);
    assertThat(SyncRequired.FULL_DOWNLOAD.wireName).isEqualTo("full_download");
  }
}
