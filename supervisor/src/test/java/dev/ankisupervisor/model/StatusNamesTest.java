package dev.ankisupervisor.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The names the status file schema (version 1) fixes: readers in the wild parse them. */
class StatusNamesTest {
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void supervisorStatesSerialiseAsTheSchemaNames() throws Exception {
    assertThat(json.writeValueAsString(List.of(SupervisorState.values()))).isEqualTo(
        "[\"preparing\",\"waiting_for_network\",\"starting\",\"ready\",\"backing_off\",\"stopping\",\"stopped\",\"failed\"]");
    assertThat(json.readValue("\"waiting_for_network\"", SupervisorState.class))
        .isEqualTo(SupervisorState.WAITING_FOR_NETWORK);
  }

  @Test
  void syncStatesAreNeverDisabledAndEachOutcome() throws Exception {
    assertThat(json.writeValueAsString(SyncState.values())).isEqualTo("[\"never\",\"disabled\",\"ok\","
        + "\"waiting_for_first_upload\",\"auth_missing\",\"auth_failed\",\"network_error\",\"timeout\","
        + "\"server_error\",\"conflict\",\"full_sync_required\",\"anki_unavailable\",\"unknown\"]");
    for (SyncOutcome o : SyncOutcome.values()) {
      assertThat(SyncState.of(o).outcome()).contains(o);
      assertThat(json.writeValueAsString(o)).isEqualTo(json.writeValueAsString(SyncState.of(o)));
      assertThat(json.readValue(json.writeValueAsString(o), SyncState.class)).isSameAs(SyncState.of(o));
    }
    assertThat(SyncState.NEVER.outcome()).isEmpty();
    assertThat(json.readValue("\"disabled\"", SyncState.class)).isSameAs(SyncState.DISABLED);
  }

  @Test
  void syncTriggersAndFullSyncDirectionsSerialiseAsTheSchemaNames() throws Exception {
    assertThat(json.writeValueAsString(SyncTrigger.values())).isEqualTo("[\"startup\",\"interval\",\"manual\",\"bootstrap\"]");
    assertThat(json.writeValueAsString(FullSyncDirection.values())).isEqualTo("[\"download\",\"upload\",\"either\"]");
    assertThat(json.readValue("\"manual\"", SyncTrigger.class)).isEqualTo(SyncTrigger.MANUAL);
    assertThat(json.readValue("\"either\"", FullSyncDirection.class)).isEqualTo(FullSyncDirection.EITHER);
  }

  @Test
  void exitReasonsSerialiseAsTheSchemaNames() throws Exception {
    assertThat(json.writeValueAsString(ExitReason.values())).isEqualTo("[\"crashed\",\"exited with an error\","
        + "\"exited before ready\",\"quit unexpectedly\",\"hung\",\"start timeout\",\"address changed\","
        + "\"address gone\",\"port or lock held by another process\",\"stopped\"]");
  }

  @Test
  void docsListExactlyTheExitReasons() throws Exception {
    String doc = Files.readString(Path.of("docs/status.md"));
    int start = doc.indexOf("## Exit reasons (`anki.lastExit.reason`)");
    assertThat(start).as("docs/status.md has the exit reasons section").isNotNegative();
    String section = doc.substring(start, doc.indexOf("\n## ", start + 1));
    List<String> documented = new ArrayList<>();
    Matcher row = Pattern.compile("(?m)^\\| `([^`]+)` \\|").matcher(section);
    while (row.find()) {
      documented.add(row.group(1));
    }
    assertThat(documented).containsExactlyElementsOf(
        Arrays.stream(ExitReason.values()).map(ExitReason::statusName).toList());
  }

  @Test
  void onlyAFinishedFailureCountsAsFailed() {
    assertThat(SyncState.values().stream().filter(SyncState::hasFailed).map(SyncState::statusName))
        // waiting_for_first_upload counts as a success (docs/status.md)
        .doesNotContain("never", "disabled", "ok", "waiting_for_first_upload").hasSize(SyncOutcome.values().length - 2);
  }

  @Test
  void anUnknownSyncStateIsRefusedWithTheKnownNames() {
    assertThatThrownBy(() -> json.readValue("\"syncing\"", SyncState.class))
        .isInstanceOf(ValueInstantiationException.class)
        .hasMessageContaining("sync state must be one of [never, disabled, ok,")
        .hasMessageContaining("found syncing");
  }
}
