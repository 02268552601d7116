package dev.ankisupervisor.standin.anki;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CPython's texts for bad keyword arguments (A2), as checked against CPython 3.11. */
class PythonCallTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void namesMissingArgumentsLikeCpython() {
    assertThatThrownBy(() -> PythonCall.check("f", List.of("a", "b", "c"), List.of(), JSON.readTree("{}")))
        .hasMessage("AnkiConnect.f() missing 3 required positional arguments: 'a', 'b', and 'c'");
    assertThatThrownBy(() -> PythonCall.check("f", List.of("a", "b"), List.of(), JSON.readTree("{}")))
        .hasMessage("AnkiConnect.f() missing 2 required positional arguments: 'a' and 'b'");
  }

  @Test
  void unexpectedKeywordComesBeforeMissing() {
    assertThatThrownBy(() -> PythonCall.check("createDeck", List.of("deck"), List.of(), JSON.readTree("{\"y\":1}")))
        .hasMessage("AnkiConnect.createDeck() got an unexpected keyword argument 'y'");
  }
}
