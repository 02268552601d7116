package dev.ankisupervisor.ankiconnect;

import java.util.Optional;

/**
 * The error texts of AnkiConnect (A2) and of our patches (P1, P2) that the supervisor reacts to:
 * each named once, so a probe, the sync classifier, {@code check} and {@code doctor} read the same
 * answer the same way. AnkiConnect sends them as {@code {"result": null, "error": "<text>"}}, which
 * the client raises as {@link AnkiConnectException.Kind#ACTION_ERROR}. Immutable; any thread.
 */
public enum AnkiConnectError {
  /** No profile is open, so no collection (A2, A4): {@code deckNames}'s answer while not ready. */
  COLLECTION_NOT_AVAILABLE("collection is not available"),
  /** The key sent differs from the add-on's {@code apiKey}, or one is sent while none is set (A2). */
  INVALID_API_KEY("valid api key must be provided"),
  /** The add-on has no such action (A2): a stock add-on asked for an action of P1 or P2. */
  UNSUPPORTED_ACTION("unsupported action"),
  /** P1's actions are there but {@code configApi.enable} is false. */
  CONFIG_API_DISABLED("config api is disabled"),
  /** P1: the key is outside {@code configApi.allowedKeyPrefixes}. */
  CONFIG_KEY_NOT_ALLOWED("config key is not allowed"),
  /** P2: a full sync without {@code force} would overwrite data the other side lacks. */
  FULL_SYNC_WOULD_OVERWRITE("full sync would overwrite data");

  private final String text;

  AnkiConnectError(String text) {
    this.text = text;
  }

  /** The words AnkiConnect's error holds. */
  public String text() {
    return text;
  }

  /** Whether {@code e} is AnkiConnect answering with this error. */
  public boolean isIn(AnkiConnectException e) {
    return e.kind() == AnkiConnectException.Kind.ACTION_ERROR && e.errorText() != null && e.errorText().contains(text);
  }

  /** Which of these errors {@code e} is, if any. */
  public static Optional<AnkiConnectError> of(AnkiConnectException e) {
    for (AnkiConnectError known : values()) {
      if (known.isIn(e)) {
        return Optional.of(known);
      }
    }
    return Optional.empty();
  }
}
