package dev.ankisupervisor.standin.anki;

/**
 * The modal dialogs that hang an offscreen Anki forever (C3): nobody can click them. Each knows
 * whether the main window (and so AnkiConnect, A3) exists while it shows. Immutable.
 */
enum Dialog {
  /** First boot or unreadable prefs21.db (C2, C3): before the main window, so no add-ons load. */
  LANGUAGE("language", false),
  /** {@code defaultLang} None on a later run (C3): before the main window. */
  STARTUP_ERROR("Startup Error", false),
  /**
   * A leftover command-line argument is taken as a file to import (C4), once the profile is open:
   * the collection stays open and AnkiConnect serves under the box.
   */
  IMPORT("import", true),
  /** AnkiConnect could not bind its address (A3). Add-ons load inside the main window's init. */
  FAILED_TO_LISTEN("AnkiConnect failed to listen on port", true),
  /** No profile could be chosen (C3): AnkiConnect answers, no collection is open. */
  PROFILE_CHOOSER("profile chooser", true),
  /** The collection is locked, corrupt or too new (C3, C7); the chooser follows. */
  UNABLE_TO_OPEN_COLLECTION("unable to open collection", true),
  /** AnkiConnect's requestPermission from an unknown origin (A2). */
  REQUEST_PERMISSION("requestPermission", true);

  private final String title;
  private final boolean mainWindowBuilt;

  Dialog(String title, boolean mainWindowBuilt) {
    this.title = title;
    this.mainWindowBuilt = mainWindowBuilt;
  }

  String title() {
    return title;
  }

  /** Whether the main window (signal handlers, add-ons) exists while this dialog shows. */
  boolean isMainWindowBuilt() {
    return mainWindowBuilt;
  }

  /** Prints the readable "stuck" line tests and people look for. */
  void announce() {
    Console.diag("stuck in " + title + " dialog (C3: nobody can click it offscreen)");
  }
}
