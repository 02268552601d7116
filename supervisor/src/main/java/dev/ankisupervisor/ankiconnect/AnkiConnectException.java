package dev.ankisupervisor.ankiconnect;

/** A call to AnkiConnect that did not produce a result; {@link #kind()} says how it failed. */
public final class AnkiConnectException extends Exception {
  /** How a call failed. */
  public enum Kind {
    /** Nothing listens on the port (connection refused) or the host is unreachable. */
    UNREACHABLE,
    /** Connected, but no reply within the call timeout (A3: a slow action blocks all others). */
    TIMEOUT,
    /** AnkiConnect answered {@code {"result": null, "error": "<text>"}} (A2); the message is the text. */
    ACTION_ERROR,
    /** An HTTP status other than 200 (A2: 403 for a disallowed origin). */
    HTTP_STATUS,
    /** The reply was not AnkiConnect's envelope (garbage from the network). */
    BAD_REPLY
  }

  private final Kind kind;

  public AnkiConnectException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public AnkiConnectException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  /** The error text AnkiConnect returned, for {@link Kind#ACTION_ERROR}; else the failure's message. */
  public String errorText() {
    return getMessage();
  }
}
