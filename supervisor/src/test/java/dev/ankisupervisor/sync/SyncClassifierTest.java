package dev.ankisupervisor.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ankisupervisor.ankiconnect.AnkiConnectException.Kind;
import dev.ankisupervisor.ankiconnect.AnkiConnectException;
import dev.ankisupervisor.model.FullSyncDirection;
import dev.ankisupervisor.model.SyncOutcome;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SyncClassifierTest {
  /** A4 and A2 texts, exactly as Anki and AnkiConnect write them. */
  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', value = {
      "ACTION_ERROR|sync: auth not configured|AUTH_MISSING|",
      "ACTION_ERROR|Email or password was incorrect; please try again.|AUTH_FAILED|",
      "ACTION_ERROR|Please check your internet connection.|NETWORK_ERROR|",
      "ACTION_ERROR|Connection timed out. Please either try again, or try a different network.|TIMEOUT|",
      "ACTION_ERROR|AnkiWeb encountered a problem. Please try again in a few minutes.|SERVER_ERROR|",
      "ACTION_ERROR|Only one copy of Anki can sync to your account at once. Please wait a few minutes, then try again.|CONFLICT|",
      "ACTION_ERROR|Sync status 2 not one of [0, 1]|FULL_SYNC_REQUIRED|EITHER",
      "ACTION_ERROR|Sync status 3 not one of [0, 1]|FULL_SYNC_REQUIRED|DOWNLOAD",
      "ACTION_ERROR|Sync status 4 not one of [0, 1]|FULL_SYNC_REQUIRED|UPLOAD",
      "ACTION_ERROR|Sync status 7 not one of [0, 1]|UNKNOWN|",
      "ACTION_ERROR|full sync would overwrite data; pass force to confirm|FULL_SYNC_REQUIRED|EITHER",
      "ACTION_ERROR|collection is not available|ANKI_UNAVAILABLE|",
      "ACTION_ERROR|valid api key must be provided|ANKI_UNAVAILABLE|",
      "ACTION_ERROR|unsupported action|UNKNOWN|",
      "ACTION_ERROR|something nobody expected|UNKNOWN|",
      "TIMEOUT|sync: no reply from http://127.0.0.1:8765/ within 75000 ms|TIMEOUT|",
      "UNREACHABLE|sync: nothing answers at http://127.0.0.1:8765/|ANKI_UNAVAILABLE|",
      "HTTP_STATUS|sync: HTTP 403 from http://127.0.0.1:8765/|ANKI_UNAVAILABLE|",
      "BAD_REPLY|sync: reply is not JSON: <html>|UNKNOWN|",
  })
  void mapsEachKnownFailureToItsOutcome(Kind kind, String text, SyncOutcome outcome, FullSyncDirection direction) {
    Classification c = SyncClassifier.classify(new AnkiConnectException(kind, text));
    assertThat(c.outcome()).isEqualTo(outcome);
    assertThat(c.fullSyncDirection()).isEqualTo(Optional.ofNullable(direction));
    assertThat(c.message()).as("the raw text is kept for the operator").contains(text);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "{\"required\": \"no_changes\", \"serverMessage\": \"\"}|OK|",
      "{\"required\": \"normal_sync\", \"serverMessage\": \"hello\"}|OK|",
      "{\"required\": \"full_sync\", \"serverMessage\": \"\"}|FULL_SYNC_REQUIRED|EITHER",
      "{\"required\": \"full_download\", \"serverMessage\": \"\"}|FULL_SYNC_REQUIRED|DOWNLOAD",
      "{\"required\": \"full_upload\", \"serverMessage\": \"\"}|FULL_SYNC_REQUIRED|UPLOAD",
      "{\"required\": \"sideways\"}|UNKNOWN|",
      "{}|UNKNOWN|",
  })
  void mapsEachHeadlessSyncResult(String json, SyncOutcome outcome, FullSyncDirection direction) throws Exception {
    Classification c = SyncClassifier.classifyHeadless(new ObjectMapper().readTree(json));
    assertThat(c.outcome()).isEqualTo(outcome);
    assertThat(c.fullSyncDirection()).isEqualTo(Optional.ofNullable(direction));
  }

  @ParameterizedTest
  @CsvSource({"3,download", "4,upload"})
  void fullSyncMessageSaysWhichWayAndLeavesTheCommandToTheRunner(int n, String direction) {
    Classification c = SyncClassifier.classifyText("Sync status " + n + " not one of [0, 1]");
    assertThat(c.message()).contains("a full sync (" + direction + ") is needed").doesNotContain("full-sync");
  }

  @org.junit.jupiter.api.Test
  void networkErrorDetailsBecomeOneLine() {
    Classification c = SyncClassifier.classifyText(
        "Please check your internet connection.\n\nError details: error sending request for url ()");
    assertThat(c.outcome()).isEqualTo(SyncOutcome.NETWORK_ERROR);
    assertThat(c.message()).startsWith("Please check your internet connection. Error details: error sending request")
        .doesNotContain("\n");
  }

  /** Real Anki 25.09.2's text for a sync server that refuses connections, or an unknown host (A4). */
  @org.junit.jupiter.api.Test
  void realAnkisNetworkErrorIsANetworkErrorOnOneLineWithoutIsolationMarks() {
    Classification c = SyncClassifier.classifyText(
        "A network error occurred.\n\nError details: \u2068error sending request for url ()\u2069");
    assertThat(c.outcome()).isEqualTo(SyncOutcome.NETWORK_ERROR);
    assertThat(c.message()).startsWith("A network error occurred. Error details: error sending request for url () (")
        .doesNotContain("\n", "\u2068", "\u2069");
  }
}
