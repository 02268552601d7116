package dev.ankisupervisor.ankiconnect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which patches are live (A4, P1, P2), learnt from apiReflect once per Anki start. */
class PatchProbeTest {
  private static final List<String> STOCK = List.of("version", "deckNames", "sync", "apiReflect", "multi");
  private final MockWebServer server = new MockWebServer();

  @AfterEach
  void stop() throws Exception {
    server.shutdown();
  }

  @Test
  void stockAddOnHasNoPatch() {
    assertThat(AddonPatches.fromActions(STOCK)).isEqualTo(new AddonPatches(false, false));
  }

  @Test
  void bothPatchesLiveWhenAllFourActionsListed() {
    assertThat(AddonPatches.fromActions(concat(STOCK, "getConfig", "setConfig", "headlessSync", "fullSync")))
        .isEqualTo(new AddonPatches(true, true));
  }

  @Test
  void aPatchIsLiveOnlyWithEveryOneOfItsActions() {
    // getConfig alone (a half-applied or foreign patch) is not P1
    AddonPatches live = AddonPatches.fromActions(concat(STOCK, "getConfig", "headlessSync", "fullSync"));
    assertThat(live).isEqualTo(new AddonPatches(false, true));
    assertThat(live.missing(EnumSet.allOf(Patch.class))).containsExactly(Patch.CONFIG_ACTIONS);
    assertThat(live.missing(EnumSet.of(Patch.HEADLESS_SYNC))).isEmpty();
    assertThat(live.missing(Set.of())).isEmpty();
  }

  @Test
  void readsActionsFromApiReflectResult() throws Exception {
    var result = new ObjectMapper().readTree("{\"scopes\": [\"actions\"], \"actions\": [\"version\", \"getConfig\"]}");
    assertThat(AddonPatches.actionsOf(result)).containsExactly("version", "getConfig");
    var bad = new ObjectMapper().readTree("{\"scopes\": []}");
    assertThatThrownBy(() -> AddonPatches.actionsOf(bad)).isInstanceOf(AnkiConnectException.class)
        .hasMessageContaining("no \"actions\" list");
  }

  @Test
  void asksApiReflectOnceUntilForgotten() throws Exception {
    server.enqueue(reflect("getConfig", "setConfig"));
    server.enqueue(reflect("headlessSync", "fullSync"));
    PatchProbe probe = new PatchProbe(new AnkiConnectClient(new AnkiConnectEndpoint(server.url("/").toString(),
        Optional.empty())), Duration.ofSeconds(5));
    assertThat(probe.known()).isEmpty();

    assertThat(probe.patches()).isEqualTo(new AddonPatches(true, false));
    assertThat(probe.patches()).isEqualTo(new AddonPatches(true, false));
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(server.takeRequest().getBody().readUtf8()).contains("\"apiReflect\"", "{\"scopes\":[\"actions\"]}");

    // another Anki (a restart) may have another add-on
    probe.forget();
    assertThat(probe.known()).isEmpty();
    assertThat(probe.patches()).isEqualTo(new AddonPatches(false, true));
    assertThat(probe.known()).contains(new AddonPatches(false, true));
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  private static MockResponse reflect(String... patched) throws Exception {
    return new MockResponse().setBody("{\"result\": {\"scopes\": [\"actions\"], \"actions\": "
        + new ObjectMapper().writeValueAsString(concat(STOCK, patched)) + "}, \"error\": null}");
  }

  private static List<String> concat(List<String> base, String... more) {
    return Stream.concat(base.stream(), Stream.of(more)).toList();
  }
}
