package dev.ankisupervisor.standin.anki;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One AnkiConnect action as the stand-in plays it. Runs on the single server thread (A3), so an
 * action that blocks (a slow sync) blocks every other request, as in the real add-on.
 */
@FunctionalInterface
public interface Action {
  /**
   * Runs the action.
   *
   * @return the {@code result} value (JSON null allowed)
   * @throws ActionError whose message is the exact {@code error} text AnkiConnect would send
   */
  JsonNode run(JsonNode params, ActionContext context) throws ActionError;
}
