package dev.ankisupervisor.standin.anki;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The add-on's request check ({@code web.py}: {@code json.loads} then {@code request_schema}): an
 * object with a non-empty string {@code action}, an integer {@code version} and an object
 * {@code params}. Error texts follow Python's first line ({@code Expecting value: line 1 column 1
 * (char 0)}, {@code 'action' is a required property}); jsonschema's multi-line detail is left out.
 * Pure; any thread.
 */
final class RequestSchema {
  private RequestSchema() {}

  static JsonNode parse(byte[] body) throws ActionError {
    String text = new String(body, StandardCharsets.UTF_8);
    JsonNode node;
    try {
      node = AddonSettings.JSON.readTree(text);
    } catch (IOException e) {
      throw new ActionError("Expecting value: line 1 column 1 (char 0)");
    }
    if (node == null || node.isMissingNode()) {
      throw new ActionError("Expecting value: line 1 column 1 (char 0)");
    }
    if (!node.isObject()) {
      throw new ActionError(repr(node) + " is not of type 'object'");
    }
    for (Map.Entry<String, String> rule : Map.of("action", "string", "version", "integer", "params", "object").entrySet()) {
      JsonNode v = node.get(rule.getKey());
      if (v != null && !hasType(v, rule.getValue())) {
        throw new ActionError(repr(v) + " is not of type '" + rule.getValue() + "'");
      }
    }
    if (!node.has("action")) {
      throw new ActionError("'action' is a required property");
    }
    if (node.get("action").asText().isEmpty()) {
      throw new ActionError("'' should be non-empty");
    }
    return node;
  }

  private static boolean hasType(JsonNode v, String type) {
    return switch (type) {
      case "string" -> v.isTextual();
      case "integer" -> v.isIntegralNumber() || (v.isNumber() && v.asDouble() == Math.rint(v.asDouble()));
      default -> v.isObject();
    };
  }

  /** Python's repr of a decoded JSON value, near enough for an error text. */
  static String repr(JsonNode v) {
    if (v.isTextual()) {
      return "'" + v.asText().replace("'", "\\'") + "'";
    }
    if (v.isNull()) {
      return "None";
    }
    if (v.isBoolean()) {
      return v.asBoolean() ? "True" : "False";
    }
    return v.toString();
  }
}
