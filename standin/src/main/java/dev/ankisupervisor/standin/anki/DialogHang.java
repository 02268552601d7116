package dev.ankisupervisor.standin.anki;

/**
 * Thrown on the AnkiConnect thread when an action opens a modal dialog nobody can answer
 * (requestPermission from an unknown origin, A2): the server stops answering for good.
 */
final class DialogHang extends RuntimeException {
  private final transient Dialog dialog;

  DialogHang(Dialog dialog) {
    super("stuck in " + dialog.title() + " dialog");
    this.dialog = dialog;
  }

  Dialog dialog() {
    return dialog;
  }
}
