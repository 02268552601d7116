package dev.ankisupervisor.sync;

import java.util.Locale;
import java.util.Optional;

/**
 * Which way a needed full sync must go (A4: sync status 2/3/4; P2: full_sync/full_download/full_upload).
 * Immutable; any thread.
 */
public enum FullSyncDirection {
  /** Replace the local collection with the server's (the local one has no cards). */
  DOWNLOAD,
  /** Replace the server's collection with the local one (the server has none). */
  UPLOAD,
  /** Both sides changed in ways a normal sync cannot merge: the operator chooses. */
  EITHER;

  public String statusName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** From A4's {@code Sync status N not one of [0, 1]}: 2 either, 3 download, 4 upload. */
  static Optional<FullSyncDirection> ofSyncStatus(int n) {
    return switch (n) {
      case 2 -> Optional.of(EITHER);
      case 3 -> Optional.of(DOWNLOAD);
      case 4 -> Optional.of(UPLOAD);
      default -> Optional.empty();
    };
  }

  /** The command that resolves it, for log lines and the status message. */
  public String resolvingCommand() {
    return switch (this) {
      case DOWNLOAD -> "anki-supervisor full-sync --download --yes";
      case UPLOAD -> "anki-supervisor full-sync --upload --yes";
      case EITHER -> "anki-supervisor full-sync --download --yes --force (keep the server's copy) or "
          + "anki-supervisor full-sync --upload --yes --force (keep this one)";
    };
  }
}
