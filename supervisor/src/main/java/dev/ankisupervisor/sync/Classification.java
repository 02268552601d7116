package dev.ankisupervisor.sync;

import dev.ankisupervisor.model.FullSyncDirection;
import dev.ankisupervisor.model.SyncOutcome;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link SyncClassifier} made of one reply or failure.
 *
 * @param outcome the outcome
 * @param fullSyncDirection set iff the outcome is {@link SyncOutcome#FULL_SYNC_REQUIRED}
 * @param message for the log and the status file: Anki's text plus what to do about it
 */
public record Classification(SyncOutcome outcome, Optional<FullSyncDirection> fullSyncDirection, String message) {
  public Classification {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(fullSyncDirection, "fullSyncDirection");
    Objects.requireNonNull(message, "message");
    if (fullSyncDirection.isPresent() != (outcome == SyncOutcome.FULL_SYNC_REQUIRED)) {
      throw new IllegalArgumentException("a full sync direction goes with full_sync_required only, found "
          + outcome + " " + fullSyncDirection);
    }
  }

  static Classification of(SyncOutcome outcome, String message) {
    return new Classification(outcome, Optional.empty(), message);
  }

  static Classification fullSync(FullSyncDirection direction, String message) {
    return new Classification(SyncOutcome.FULL_SYNC_REQUIRED, Optional.of(direction), message);
  }
}
