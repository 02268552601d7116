package dev.ankisupervisor.standin.anki;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The action registry: stock AnkiConnect actions the supervisor uses (A4) plus the sync and
 * config actions ({@link SyncActions#register}, {@link ConfigActions#register}: stock {@code sync},
 * and P1/P2 only when ANKI_STANDIN_PATCHES says so). {@code multi} and {@code apiReflect} are
 * added by {@link RequestHandler}. Built once, on the main thread.
 */
final class Actions {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private Actions() {}

  /** Every action this stand-in Anki offers, by name. */
  static Map<String, Action> build() {
    Map<String, Action> map = new LinkedHashMap<>();
    map.put("version", PythonCall.of("version", List.of(), List.of(), (p, c) ->
        AddonSettings.setting(AddonSettings.read(c.base()), "apiVersion")));
    map.put("getProfiles", PythonCall.of("getProfiles", List.of(), List.of(), (p, c) -> {
      ArrayNode out = F.arrayNode();
      ((StandInContext) c).profiles().forEach(out::add);
      return out;
    }));
    map.put("getActiveProfile", PythonCall.of("getActiveProfile", List.of(), List.of(), (p, c) ->
        c.profileName() == null ? F.nullNode() : F.textNode(c.profileName())));
    map.put("requestPermission", PythonCall.of("requestPermission", List.of("origin", "allowed"),
        List.of(), Actions::requestPermission));
    DeckActions.register(map);
    SyncActions.register(map);
    ConfigActions.register(map);
    return map;
  }

  /**
   * {@code requestPermission(origin, allowed)}: granted when the origin passed CORS; denied when
   * it is in {@code ignoreOriginList}; otherwise a question dialog nobody answers (A2).
   */
  private static JsonNode requestPermission(JsonNode params, ActionContext c) throws ActionError {
    ObjectNode result = F.objectNode();
    var config = AddonSettings.read(c.base());
    if (params.path("allowed").asBoolean(false)) {
      result.put("permission", "granted");
      JsonNode key = AddonSettings.setting(config, "apiKey");
      result.put("requireApikey", !(key.isNull() || key.asText().isEmpty()));
      result.set("version", AddonSettings.setting(config, "apiVersion"));
      return result;
    }
    for (JsonNode ignored : AddonSettings.setting(config, "ignoreOriginList")) {
      if (ignored.equals(params.get("origin"))) {
        result.put("permission", "denied");
        return result;
      }
    }
    throw new DialogHang(Dialog.REQUEST_PERMISSION);
  }
}
