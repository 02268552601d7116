package dev.ankisupervisor.standin.anki;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * AnkiConnect's settings as the add-on sees them (A1): Anki's {@code addonManager.getConfig}
 * (25.09.2) loads {@code addons21/2055492159/config.json} (no file: no config at all) and overlays
 * {@code meta.json}'s {@code config} object key by key; AnkiConnect's {@code util.setting} falls back
 * to its built-in defaults for a key that is absent. Read from disk on every call, as the real
 * add-on does. Stateless; any thread.
 */
final class AddonSettings {
  /** The add-on's folder name when installed from AnkiWeb (A1). */
  static final String ADDON_DIR = "2055492159";
  static final ObjectMapper JSON = new ObjectMapper();

  private AddonSettings() {}

  static Path folder(Path base) {
    return base.resolve("addons21").resolve(ADDON_DIR);
  }

  /** Whether Anki would load the add-on: its folder exists and meta.json does not disable it. */
  static boolean isInstalled(Path base) {
    Path dir = folder(base);
    return Files.isDirectory(dir) && !readMeta(dir).path("disabled").asBoolean(false);
  }

  /** The merged config, or null when config.json is missing or unreadable (getConfig's None). */
  static ObjectNode read(Path base) {
    Path dir = folder(base);
    ObjectNode config;
    try {
      JsonNode defaults = JSON.readTree(dir.resolve("config.json").toFile());
      if (!(defaults instanceof ObjectNode obj)) {
        return null;
      }
      config = obj;
    } catch (IOException e) {
      return null;
    }
    JsonNode user = readMeta(dir).path("config");
    if (user instanceof ObjectNode userObj) {
      config.setAll(userObj);
    }
    return config;
  }

  /** One setting with AnkiConnect's DEFAULT_CONFIG fallback; a null config has no settings. */
  static JsonNode setting(ObjectNode config, String key) throws ActionError {
    if (config == null) {
      throw new ActionError("setting " + key + " not found");
    }
    JsonNode v = config.get(key);
    return v != null ? v : defaultSetting(key);
  }

  private static JsonNode defaultSetting(String key) throws ActionError {
    JsonNodeFactory f = JsonNodeFactory.instance;
    return switch (key) {
      case "apiKey", "apiLogPath", "webCorsOrigin" -> f.nullNode();
      case "apiPollInterval" -> f.numberNode(25);
      case "apiVersion" -> f.numberNode(6);
      case "webBacklog" -> f.numberNode(5);
      case "webBindAddress" -> f.textNode("127.0.0.1");
      case "webBindPort" -> f.numberNode(8765);
      case "webCorsOriginList" -> f.arrayNode().add("http://localhost");
      case "ignoreOriginList" -> f.arrayNode();
      case "webTimeout" -> f.numberNode(10000);
      default -> throw new ActionError("setting " + key + " not found");
    };
  }

  private static JsonNode readMeta(Path dir) {
    try {
      return JSON.readTree(dir.resolve("meta.json").toFile());
    } catch (IOException e) {
      return JsonNodeFactory.instance.objectNode(); // missing or broken meta.json: {} (Anki)
    }
  }
}
