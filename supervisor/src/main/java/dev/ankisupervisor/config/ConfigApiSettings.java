package dev.ankisupervisor.config;

import java.util.List;

/**
 * AnkiConnect's {@code configApi} setting (P1).
 *
 * @param enable whether getConfig/setConfig are served
 * @param allowedKeyPrefixes keys must start with one of these
 * @param maxValueBytes the largest value, as compact UTF-8 JSON
 */
public record ConfigApiSettings(boolean enable, List<String> allowedKeyPrefixes, int maxValueBytes) {
  public static final ConfigApiSettings DISABLED = new ConfigApiSettings(false, List.of(), 65536);

  /**
   * Refuses a prefix that opens every key: the patched add-on matches keys with startswith, so ""
   * (or blanks, which a careless config turns into "") would let setConfig change any collection
   * setting (P1).
   *
   * @throws IllegalArgumentException naming the rule and the fix
   */
  public static void checkPrefix(String prefix) {
    if (prefix == null || prefix.isBlank()) {
      throw new IllegalArgumentException("config-API prefix '" + (prefix == null ? "" : prefix) + "' is empty or blank;"
          + " it would allow every collection config key to the config API; give a prefix such as 'myTool.', or no prefix at all");
    }
    if (!prefix.equals(prefix.strip()) || prefix.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("config-API prefix '" + prefix.replaceAll("\\p{Cntrl}", "?") + "' has leading or"
          + " trailing blanks or control characters; no config key starts like that; write the prefix without them");
    }
  }

  public ConfigApiSettings {
    allowedKeyPrefixes = List.copyOf(allowedKeyPrefixes);
    allowedKeyPrefixes.forEach(ConfigApiSettings::checkPrefix);
    if (maxValueBytes < 1) {
      throw new IllegalArgumentException("configApi maxValueBytes must be >= 1, found " + maxValueBytes);
    }
  }
}
