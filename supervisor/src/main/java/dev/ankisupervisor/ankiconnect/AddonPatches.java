package dev.ankisupervisor.ankiconnect;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Which of our AnkiConnect patches the running add-on has, learnt from {@code apiReflect} (A4):
 * the one place its answer is asked for and parsed. It is also the status file's
 * {@code ankiConnect.patches} object, {@code {"configApi": true, "headlessSync": false}}.
 *
 * @param configApi P1: {@code getConfig} and {@code setConfig}
 * @param headlessSync P2: {@code headlessSync} and {@code fullSync}
 */
public record AddonPatches(boolean configApi, boolean headlessSync) {
  /** From apiReflect's {@code actions} list: a patch is live only when every action it adds is listed. */
  public static AddonPatches fromActions(Collection<String> actions) {
    return new AddonPatches(actions.containsAll(Patch.CONFIG_ACTIONS.actions()),
        actions.containsAll(Patch.HEADLESS_SYNC.actions()));
  }

  /** Asks AnkiConnect for its actions ({@code apiReflect {"scopes": ["actions"]}}). */
  public static List<String> reflectActions(AnkiConnectClient client, Duration timeout) throws AnkiConnectException {
    return actionsOf(client.call("apiReflect", Map.of("scopes", List.of("actions")), timeout));
  }

  /** The action names in an apiReflect result ({@code {"scopes": ["actions"], "actions": [...]}}). */
  public static List<String> actionsOf(JsonNode reflectResult) throws AnkiConnectException {
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
}
