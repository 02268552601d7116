package dev.ankisupervisor.standin.anki;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;

/** What an action may see of the running stand-in Anki. Used only on the server thread. */
public interface ActionContext {
  /** The open collection, or {@code ActionError("collection is not available")} (A2). */
  Connection collection() throws ActionError;

  /** The open profile's name, or null while no profile is open. */
  String profileName();

  /** The open profile's prefs21.db row, decoded (C2, C8: syncKey, customSyncUrl, networkTimeout...). */
  Map<String, Object> profilePrefs();

  /** AnkiConnect's merged settings (A1): config.json overlaid with meta.json's config; re-read per call. */
  JsonNode addonConfig();

  /** The base folder (C1). */
  Path base();

  /** The process environment (fault knobs are ANKI_STANDIN_*). */
  Map<String, String> env();
}
