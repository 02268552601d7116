package dev.ankisupervisor.standin.anki;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * AnkiConnect's {@code handler} (A2, plugin/__init__.py at 532a3c8): reads {@code action},
 * {@code version} (default 4), {@code params} (default {}) and {@code key}; refuses a key that
 * differs from {@code apiKey} (a key sent while none is set too) unless the action is
 * {@code requestPermission}; finds the action or answers {@code unsupported action}; calls it
 * with Python's keyword rules; and wraps the reply: version 5+ as {@code {result, error}}, older
 * versions the bare result. Errors are always {@code {"result": null, "error": text}}. Also owns
 * {@code multi} and {@code apiReflect}, which look at the handler itself. Runs on the AnkiConnect
 * thread only.
 */
final class RequestHandler {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  /** Every action by name, sorted like Python's dir(). */
  private final Map<String, Action> actions;
  private final ActionContext context;

  RequestHandler(Map<String, Action> registry, ActionContext context) {
    this.actions = new TreeMap<>(registry);
    this.context = context;
    actions.put("multi", PythonCall.of("multi", List.of("actions"), List.of(),
        (params, ctx) -> multi(params.get("actions"))));
    actions.put("apiReflect", PythonCall.of("apiReflect", List.of(), List.of("scopes", "actions"),
        (params, ctx) -> reflect(params.get("scopes"), params.get("actions"))));
  }

  /** One request object to its reply (what the add-on serialises as the body). */
  JsonNode handle(JsonNode request) {
    String name = request.path("action").isTextual() ? request.get("action").asText() : "";
    JsonNode versionNode = request.get("version");
    int version = versionNode != null && versionNode.isIntegralNumber() ? versionNode.asInt() : 4;
    JsonNode params = request.has("params") ? request.get("params") : F.objectNode();
    JsonNode key = request.has("key") ? request.get("key") : NullNode.getInstance();
    try {
      JsonNode apiKey = AddonSettings.setting(AddonSettings.read(context.base()), "apiKey");
      if (!key.equals(apiKey) && !name.equals("requestPermission")) {
        throw new ActionError("valid api key must be provided");
      }
      Action action = actions.get(name);
      if (action == null) {
        throw new ActionError("unsupported action");
      }
      if (!params.isObject()) {
        throw new ActionError("AnkiConnect." + name + "() argument after ** must be a mapping, not "
            + pythonType(params));
      }
      JsonNode result = action.run(params, context);
      if (result == null) {
        result = NullNode.getInstance();
      }
      if (version <= 4) {
        return result;
      }
      ObjectNode reply = F.objectNode();
      reply.set("result", result);
      reply.putNull("error");
      return reply;
    } catch (ActionError e) {
      return error(e.getMessage());
    } catch (DialogHang e) {
      throw e;
    } catch (RuntimeException e) {
      Console.ankiErr("Traceback (most recent call last):");
      Console.ankiErr("  File \"plugin/__init__.py\", in handler");
      Console.ankiErr(e.toString());
      return error(e.toString());
    }
  }

  static ObjectNode error(String text) {
    ObjectNode reply = F.objectNode();
    reply.putNull("result");
    reply.put("error", text);
    return reply;
  }

  /** {@code multi(actions)}: {@code list(map(self.handler, actions))}; each item keeps its own key and version. */
  private JsonNode multi(JsonNode items) throws ActionError {
    if (!items.isArray()) {
      throw new ActionError("'" + pythonType(items) + "' object is not iterable");
    }
    ArrayNode replies = F.arrayNode();
    for (JsonNode item : items) {
      if (!item.isObject()) {
        throw new ActionError("'" + pythonType(item) + "' object has no attribute 'get'");
      }
      replies.add(handle(item));
    }
    return replies;
  }

  /** {@code apiReflect(scopes, actions)}: the action names the add-on has, for the "actions" scope. */
  private JsonNode reflect(JsonNode scopes, JsonNode names) throws ActionError {
    if (scopes == null || !scopes.isArray()) {
      throw new ActionError("scopes has invalid value");
    }
    if (!(names == null || names.isNull() || names.isArray())) {
      throw new ActionError("actions has invalid value");
    }
    ObjectNode result = F.objectNode();
    ArrayNode scopesOut = result.putArray("scopes");
    boolean wantsActions = false;
    for (JsonNode s : scopes) {
      wantsActions |= s.isTextual() && s.asText().equals("actions");
    }
    if (wantsActions) {
      ArrayNode out = F.arrayNode();
      if (names == null || names.isNull()) {
        actions.keySet().forEach(out::add);
      } else {
        for (JsonNode n : names) {
          if (!n.isTextual()) {
            throw new ActionError("attribute name must be string, not '" + pythonType(n) + "'");
          }
          if (actions.containsKey(n.asText())) {
            out.add(n.asText());
          }
        }
      }
      scopesOut.add("actions");
      result.set("actions", out);
    }
    return result;
  }

  static String pythonType(JsonNode n) {
    if (n == null || n.isNull()) {
      return "NoneType";
    }
    if (n.isObject()) {
      return "dict";
    }
    if (n.isArray()) {
      return "list";
    }
    if (n.isTextual()) {
      return "str";
    }
    if (n.isBoolean()) {
      return "bool";
    }
    return n.isIntegralNumber() ? "int" : "float";
  }
}
