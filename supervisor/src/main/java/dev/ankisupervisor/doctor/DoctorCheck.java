package dev.ankisupervisor.doctor;

/**
 * The checks of {@code anki-supervisor doctor}, in the order they run; each prints one line
 * {@code OK|PROBLEM <label>: ...} (docs/operations.md lists them). Immutable; any thread.
 */
public enum DoctorCheck {
  /** With {@code --unit}: the unit's credential sources and environment files. */
  UNIT("unit"),
  /** The Tailscale interface has its address ({@code --bind tailscale}). */
  TAILSCALE("tailscale"),
  /** A fixed {@code --bind} address is assigned to an interface. */
  BIND_ADDRESS("bind-address"),
  /** Something accepts a connection on AnkiConnect's port. */
  PORT("port"),
  /** {@code version}, then {@code deckNames} (A4). */
  ANKICONNECT("ankiconnect"),
  /** {@code apiReflect} lists the actions of P1 and P2. */
  ADDON_PATCHES("addon-patches"),
  /** The sync server's {@code /health} (S1). */
  SYNC_SERVER("sync-server"),
  /** A copy of prefs21.db reads as Anki reads it (C2, C3). */
  PREFS("prefs21.db"),
  /** AnkiConnect is installed and enabled, on our port. */
  ADDON("addon"),
  /** gldriver6 says {@code software} (C4). */
  GL_DRIVER("gldriver6"),
  /** Nobody but the supervised Anki holds the collection lock (C7). */
  COLLECTION_LOCK("collection-lock"),
  /** Anki does not run as root (C9). */
  RUN_AS("run-as"),
  /** The status file's last sync is fresh (the one staleness rule). */
  LAST_SYNC("last-sync"),
  /** The last backup succeeded recently enough. */
  LAST_BACKUP("last-backup");

  private final String label;

  DoctorCheck(String label) {
    this.label = label;
  }

  /** The name doctor prints, stable for scripts: {@code collection-lock}. */
  public String label() {
    return label;
  }
}
