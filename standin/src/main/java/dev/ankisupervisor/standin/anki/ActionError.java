package dev.ankisupervisor.standin.anki;

/** An action's failure; the message is the exact text of AnkiConnect's {@code error} field (A2). */
public final class ActionError extends Exception {
  public ActionError(String exactText) {
    super(exactText);
  }
}
