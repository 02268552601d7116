package dev.ankisupervisor.standin.syncserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** S1's environment and C8's host key. */
class SyncServerSettingsTest {
  @Test
  void usersStopAtTheFirstMissingNumberAndDefaultsAreUpstreams() {
    SyncServerSettings s = SyncServerSettings.fromEnv(Map.of(
        "SYNC_USER1", "a:1", "SYNC_USER2", "b:p:w", "SYNC_USER4", "d:4", "SYNC_BASE", "/srv/s"));
    assertThat(s.accounts()).extracting(SyncAccount::name).containsExactly("a", "b");
    assertThat(s.accounts().get(1).password()).isEqualTo("p:w");
    assertThat(s.host()).isEqualTo("0.0.0.0");
    assertThat(s.port()).isEqualTo(8080);
    assertThat(s.maxPayloadBytes()).isEqualTo(100L * 1024 * 1024);
    assertThat(s.passwordsHashed()).isFalse();
  }

  @Test
  void hostKeyIsLowercaseSha1OfTheExactValue() {
    // sha1("user:pass") as Python's hashlib gives it
    assertThat(SyncAccount.parse("SYNC_USER1", "user:pass").hostKey())
        .isEqualTo("b2619aa1529dfdc4248e6edbf3c1b2a2b014cf6d");
    SyncAccount a = SyncAccount.parse("SYNC_USER1", "u:secretpw");
    assertThat(a.toString()).doesNotContain("secretpw").doesNotContain(a.hostKey());
  }

  @Test
  void missingUsersAndBadValuesFailWithUpstreamsText() {
    assertThatThrownBy(() -> SyncServerSettings.fromEnv(Map.of()))
        .hasMessage("No users defined; SYNC_USER1 env var should be set.");
    assertThatThrownBy(() -> SyncServerSettings.fromEnv(Map.of("SYNC_USER1", "nocolon")))
        .hasMessage("SYNC_USER1 should be in 'username:password' format.");
  }

  @Test
  void seedListsDecksWithCardCounts() {
    assertThat(SyncServerSettings.seedOf("deckA:3, deckB:2")).containsExactly(Map.entry("deckA", 3), Map.entry("deckB", 2));
    assertThatThrownBy(() -> SyncServerSettings.seedOf("deckA")).hasMessageContaining("deck:count");
  }
}
