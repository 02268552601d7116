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

  public ConfigApiSettings {
    allowedKeyPrefixes = List.copyOf(allowedKeyPrefixes);
    if (maxValueBytes < 1) {
      throw new IllegalArgumentException("configApi maxValueBytes must be >= 1, found " + maxValueBytes);
    }
  }
}
