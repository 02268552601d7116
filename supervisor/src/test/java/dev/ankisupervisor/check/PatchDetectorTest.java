package dev.ankisupervisor.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ankisupervisor.ankiconnect.AddonPatches;
import dev.ankisupervisor.ankiconnect.AnkiConnectException;
import dev.ankisupervisor.ankiconnect.Patch;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PatchDetectorTest {
  private static final List<String> STOCK = List.of("version", "deckNames", "sync", "apiReflect", "multi");

  @Test
  void stockAddOnHasNoPatch() {
    assertThat(PatchDetector.livePatches(STOCK)).isEmpty();
  }

  @Test
  void bothPatchesLiveWhenAllFourActionsListed() {
    List<String> actions = concat(STOCK, "getConfig", "setConfig", "headlessSync", "fullSync");
    assertThat(PatchDetector.livePatches(actions)).containsExactly(Patch.CONFIG_ACTIONS, Patch.HEADLESS_SYNC);
  }

  @Test
  void aPatchIsLiveOnlyWithEveryOneOfItsActions() {
    // getConfig alone (a half-applied or foreign patch) is not P1
    assertThat(PatchDetector.livePatches(concat(STOCK, "getConfig", "headlessSync", "fullSync")))
        .containsExactly(Patch.HEADLESS_SYNC);
  }

  @Test
  void configApiWithoutP1IsAProblemNamingThePatchFile() {
    List<String> onlyP2 = concat(STOCK, "headlessSync", "fullSync");
    assertThat(PatchDetector.missing(EnumSet.of(Patch.CONFIG_ACTIONS), onlyP2)).containsExactly(Patch.CONFIG_ACTIONS);
    assertThat(PatchDetector.problems(EnumSet.of(Patch.CONFIG_ACTIONS), onlyP2)).singleElement().asString()
        .contains("lacks the config API patch (anki-connect-config-actions.patch)", "getConfig, setConfig");
    assertThat(PatchDetector.problems(EnumSet.of(Patch.HEADLESS_SYNC), onlyP2)).isEmpty();
    assertThat(PatchDetector.problems(Set.of(), STOCK)).isEmpty();
  }

  @Test
  void readsActionsFromApiReflectResult() throws Exception {
    var result = new ObjectMapper().readTree("{\"scopes\": [\"actions\"], \"actions\": [\"version\", \"getConfig\"]}");
    assertThat(AddonPatches.actionsOf(result)).containsExactly("version", "getConfig");
    var bad = new ObjectMapper().readTree("{\"scopes\": []}");
    assertThatThrownBy(() -> AddonPatches.actionsOf(bad)).isInstanceOf(AnkiConnectException.class)
        .hasMessageContaining("no \"actions\" list");
  }

  private static List<String> concat(List<String> base, String... more) {
    return java.util.stream.Stream.concat(base.stream(), java.util.stream.Stream.of(more)).toList();
  }
}
