package dev.ankisupervisor.ankiconnect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AnkiConnectErrorTest {
  @Test
  void everyTextIsOneTheContractQuotes() throws Exception {
    // A2 quotes the stock add-on's texts, P1 and P2 our patches'
    String contract = Files.readString(Path.of("docs/anki-behaviour.md"));
    for (AnkiConnectError e : AnkiConnectError.values()) {
      assertThat(contract).as(e.name()).contains("`" + e.text());
    }
  }

  @Test
  void onlyAnActionErrorHoldingTheTextIsThatError() {
    AnkiConnectException noProfile = new AnkiConnectException(AnkiConnectException.Kind.ACTION_ERROR,
        "collection is not available");
    assertThat(AnkiConnectError.of(noProfile)).contains(AnkiConnectError.COLLECTION_NOT_AVAILABLE);
    assertThat(AnkiConnectError.INVALID_API_KEY.isIn(noProfile)).isFalse();
    // P2's refusal goes on with what to do
    assertThat(AnkiConnectError.of(new AnkiConnectException(AnkiConnectException.Kind.ACTION_ERROR,
        "full sync would overwrite data; pass force to confirm"))).contains(AnkiConnectError.FULL_SYNC_WOULD_OVERWRITE);
    // the same words from something that is not AnkiConnect's answer are not its error
    assertThat(AnkiConnectError.of(new AnkiConnectException(AnkiConnectException.Kind.BAD_REPLY,
        "collection is not available"))).isEmpty();
  }
}
