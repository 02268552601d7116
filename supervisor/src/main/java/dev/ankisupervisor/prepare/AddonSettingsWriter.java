package dev.ankisupervisor.prepare;

import dev.ankisupervisor.config.AnkiSettings;
import dev.ankisupervisor.config.ConnectSettings;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;

/**
 * Writes AnkiConnect's settings (A1, P1) into the {@code config} object of
 * {@code <base>/addons21/<dir>/meta.json}, which Anki merges over the add-on's config.json:
 * {@code webBindAddress} (the resolved address), {@code webBindPort}, {@code apiKey} (null when
 * none), {@code webCorsOriginList} and {@code configApi {enable, allowedKeyPrefixes, maxValueBytes}}.
 * Every other key of meta.json and of its config is kept. A meta.json that holds an apiKey gets mode
 * 0600. Atomic (temp file, fsync, rename); no write when nothing differs. The key is never logged.
 *
 * <p>Stateless; call while no Anki of this base runs (A1: Anki reads bind address and port once
 * at start, and rewrites meta.json when the user edits the config).
 */
public final class AddonSettingsWriter {
  /**
   * Whether Anki skips this add-on: its add-on manager loads one only when meta.json's
   * {@code disabled} is falsy in Python's sense (aqt/addons.py {@code loadAddons}, {@code enabled =
   * not meta.get("disabled")}), and writes {@code true} there when the user disables it. A disabled
   * AnkiConnect never serves, so the supervisor would wait out every start timeout.
   */
  public static boolean isDisabled(JsonNode meta) {
    JsonNode d = meta.path("disabled");
    if (d.isBoolean()) {
      return d.asBoolean();
    }
    if (d.isNumber()) {
      return d.asDouble() != 0;
    }
    if (d.isTextual()) {
      return !d.asText().isEmpty();
    }
    return d.isContainerNode() && !d.isEmpty();
  }

  /** The one-line fix for {@link #isDisabled}, shared by prepare and doctor. */
  public static String enableFix(java.nio.file.Path metaJson) {
    return "enable it: set \"disabled\": false in " + metaJson + " (or in Anki's add-on manager), then start again;"
        + " the supervisor does not override a choice made there";
  }

  /**
   * Makes meta.json's config hold these settings.
   *
   * @param bindAddress the address AnkiConnect must bind (from {@link BindAddressWaiter#await})
   * @return true when meta.json was (re)written, false when it already held them
   * @throws PrepareException CONFIG when the add-on folder is missing ("install AnkiConnect
   *     2055492159") or is not writable while the settings differ; DATA when meta.json is not a
   *     JSON object; IO when writing fails
   */
  public boolean write(AnkiSettings anki, ConnectSettings connect, InetAddress bindAddress) throws PrepareException {
    return new AddonMeta(anki, connect, bindAddress).write();
  }
}
