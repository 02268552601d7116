package dev.ankisupervisor.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ankisupervisor.config.ConfigApiSettings;
import dev.ankisupervisor.files.TextFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the {@code configApi} setting (P1) from an installed AnkiConnect folder the way Anki and the
 * patched add-on do (A1): {@code config.json} (defaults) shallowly overridden by {@code meta.json}'s
 * {@code config} object, then each missing sub-key from P1's defaults. Empty prefixes are dropped:
 * the add-on lets such a prefix match every key, which step d then reports as a broken prefix rule.
 * Used by {@code check --addon-dir} so the operator need not repeat the prefixes. Stateless.
 */
public final class AddonConfigFile {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private AddonConfigFile() {}

  /** The effective {@code configApi} of the add-on in {@code addonDir}; P1's defaults where unset. */
  public static ConfigApiSettings readConfigApi(Path addonDir) throws IOException {
    if (!Files.isDirectory(addonDir)) {
      throw new IOException(addonDir + " is not a folder; give the installed AnkiConnect folder"
          + " (<base>/addons21/2055492159), or pass --config-prefix instead");
    }
    ObjectNode merged = MAPPER.createObjectNode();
    JsonNode defaults = read(addonDir.resolve("config.json"));
    if (defaults.isObject()) {
      merged.setAll((ObjectNode) defaults);
    }
    JsonNode user = read(addonDir.resolve("meta.json")).path("config");
    if (user.isObject()) {
      merged.setAll((ObjectNode) user);
    }
    JsonNode api = merged.path("configApi");
    boolean enable = api.path("enable").isBoolean() && api.path("enable").asBoolean();
    List<String> prefixes = new ArrayList<>();
    api.path("allowedKeyPrefixes").forEach(p -> {
      if (p.isTextual() && isUsable(p.asText())) {
        prefixes.add(p.asText());
      }
    });
    JsonNode max = api.path("maxValueBytes");
    int maxBytes = max.isIntegralNumber() && max.canConvertToInt() && max.asInt() >= 1
        ? max.asInt()
        : ConfigApiSettings.DISABLED.maxValueBytes();
    return new ConfigApiSettings(enable, prefixes, maxBytes);
  }

  /** A prefix the supervisor would accept; the others (empty, blank) are left for step d to expose. */
  private static boolean isUsable(String prefix) {
    try {
      ConfigApiSettings.checkPrefix(prefix);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static JsonNode read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return MAPPER.missingNode();
    }
    try {
      return MAPPER.readTree(TextFile.read(file, TextFile.SETTINGS_MAX_BYTES));
    } catch (IOException e) {
      throw new IOException(file + " is not valid JSON (" + e.getMessage().lines().findFirst().orElse("")
          + "); Anki would ignore it; fix the file or pass --config-prefix instead of --addon-dir", e);
    }
  }
}
