package dev.ankisupervisor.standin.anki;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The action registry: stock AnkiConnect actions the supervisor uses (A4) plus whatever the
 * sync/config classes register (H1b's {@code SyncActions.register(Map)} and
 * {@code ConfigActions.register(Map)}, found by name so each side compiles alone). {@code multi}
 * and {@code apiReflect} are added by {@link RequestHandler}. Built once, on the main thread.
 */
final class Actions {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  /** Classes that add actions: each has {@code static void register(Map<String, Action>)}. */
  private static final List<String> EXTENSIONS = List.of(
      "dev.ankisupervisor.standin.anki.SyncActions", "dev.ankisupervisor.standin.anki.ConfigActions");

  private Actions() {}

  /** Every action this stand-in Anki offers, by name. */
  static Map<String, Action> build(MainWindow window) {
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
    for (String name : EXTENSIONS) {
      register(name, map);
    }
    return map;
  }

  private static void register(String className, Map<String, Action> map) {
    Class<?> type;
    try {
      type = Class.forName(className);
    } catch (ClassNotFoundException e) {
      return; // not written yet: the stand-in is still a stock AnkiConnect
    }
    try {
      Method m = type.getDeclaredMethod("register", Map.class);
      m.setAccessible(true);
      m.invoke(null, map);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(className + ".register(Map) failed: " + e
          + "; it must be static void register(Map<String, Action>)", e);
    }
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
