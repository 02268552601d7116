package dev.ankisupervisor.standin.anki;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Our patch P1, present only when ANKI_STANDIN_PATCHES contains {@code config-actions}:
 * {@code getConfig(key)} and {@code setConfig(key, val)} on the collection's config table, guarded
 * by the add-on setting {@code configApi: {enable, allowedKeyPrefixes, maxValueBytes}}, read from
 * the merged add-on config on every call (A1). Checks, in this order: enabled, key a non-empty
 * string, key under an allowed prefix (skipped with the test knob
 * ANKI_STANDIN_BREAK_CONFIG_PREFIX_RULE=1), value size (setConfig), then the collection. Run on
 * the AnkiConnect thread.
 */
final class ConfigActions {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final ObjectMapper JSON = new ObjectMapper();
  static final long DEFAULT_MAX_VALUE_BYTES = 65536;

  private ConfigActions() {}

  static void register(Map<String, Action> map) {
    if (SyncActions.patches(System.getenv()).contains("config-actions")) {
      map.put("getConfig", PythonCall.of("getConfig", List.of("key"), List.of(), ConfigActions::getConfig));
      map.put("setConfig", PythonCall.of("setConfig", List.of("key", "val"), List.of(), ConfigActions::setConfig));
    }
  }

  private static JsonNode getConfig(JsonNode params, ActionContext c) throws ActionError {
    String key = checkedKey(params, c);
    Connection col = c.collection();
    try (PreparedStatement ps = col.prepareStatement("select val from config where key = ?")) {
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? JSON.readTree(rs.getString(1)) : F.nullNode();
      }
    } catch (SQLException | IOException e) {
      throw new ActionError(e.getMessage());
    }
  }

  private static JsonNode setConfig(JsonNode params, ActionContext c) throws ActionError {
    String key = checkedKey(params, c);
    JsonNode val = params.get("val");
    String text = ConfigJson.dumps(val);
    long size = ConfigJson.sizeInBytes(val);
    long max = settings(c).path("maxValueBytes").asLong(DEFAULT_MAX_VALUE_BYTES);
    if (size > max) {
      throw new ActionError("config value is too large (" + size + " bytes > " + max + ")");
    }
    Connection col = c.collection();
    try (PreparedStatement ps = col.prepareStatement("insert or replace into config (key, val) values (?, ?)");
        PreparedStatement mod = col.prepareStatement("update col set mod = ? where id = 1")) {
      ps.setString(1, key);
      ps.setString(2, text);
      ps.executeUpdate();
      mod.setLong(1, System.currentTimeMillis());
      mod.executeUpdate();
    } catch (SQLException e) {
      throw new ActionError(e.getMessage());
    }
    return F.booleanNode(true);
  }

  /** The checks shared by both actions, in P1's order; returns the key. */
  private static String checkedKey(JsonNode params, ActionContext c) throws ActionError {
    JsonNode settings = settings(c);
    if (!isTruthy(settings.get("enable"))) {
      throw new ActionError("config api is disabled");
    }
    JsonNode key = params.get("key");
    if (key == null || !key.isTextual() || key.asText().isEmpty()) {
      throw new ActionError("config key must be a non-empty string");
    }
    String k = key.asText();
    if (!"1".equals(c.env().get("ANKI_STANDIN_BREAK_CONFIG_PREFIX_RULE"))) {
      boolean allowed = false;
      for (JsonNode prefix : settings.path("allowedKeyPrefixes")) {
        if (prefix.isTextual() && k.startsWith(prefix.asText())) {
          allowed = true;
        }
      }
      if (!allowed) {
        throw new ActionError("config key is not allowed");
      }
    }
    return k;
  }

  /** The merged add-on config's {@code configApi} object (missing: all defaults). */
  private static JsonNode settings(ActionContext c) {
    JsonNode config = c.addonConfig();
    return config == null ? F.objectNode() : config.path("configApi");
  }

  private static boolean isTruthy(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return false;
    }
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    if (v.isNumber()) {
      return v.asDouble() != 0;
    }
    return v.isTextual() ? !v.asText().isEmpty() : v.size() > 0;
  }
}
