package dev.ankisupervisor.ankiconnect;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Which of our AnkiConnect patches the running add-on has, as {@link PatchProbe} learns it from
 * {@code apiReflect} (A4). It is also the status file's {@code ankiConnect.patches} object,
 * {@code {"configApi": true, "headlessSync": false}}. Immutable; any thread.
 *
 * @param configApi P1: {@code getConfig} and {@code setConfig}
 * @param headlessSync P2: {@code headlessSync} and {@code fullSync}
 */
public record AddonPatches(boolean configApi, boolean headlessSync) {
  /** From apiReflect's {@code actions} list: a patch is live only when every action it adds is listed. */
  static AddonPatches fromActions(Collection<String> actions) {
    return new AddonPatches(actions.containsAll(Patch.CONFIG_ACTIONS.actions()),
        actions.containsAll(Patch.HEADLESS_SYNC.actions()));
  }

  /** The action names in an apiReflect result ({@code {"scopes": ["actions"], "actions": [...]}}). */
  static List<String> actionsOf(JsonNode reflectResult) throws AnkiConnectException {
    JsonNode actions = reflectResult == null ? null : reflectResult.get("actions");
    if (actions == null || !actions.isArray()) {
      throw new AnkiConnectException(AnkiConnectException.Kind.BAD_REPLY,
          "apiReflect: result has no \"actions\" list: " + reflectResult);
    }
    List<String> names = new ArrayList<>();
    actions.forEach(a -> names.add(a.asText()));
    return List.copyOf(names);
  }

  /** Whether {@code patch} is live. */
  public boolean has(Patch patch) {
    return patch == Patch.CONFIG_ACTIONS ? configApi : headlessSync;
  }

  /** The patches of {@code needed} that are not live, in {@link Patch} order. */
  public Set<Patch> missing(Set<Patch> needed) {
    Set<Patch> missing = EnumSet.noneOf(Patch.class);
    for (Patch p : needed) {
      if (!has(p)) {
        missing.add(p);
      }
    }
    return missing;
  }
}
