package dev.ankisupervisor.check;

import dev.ankisupervisor.model.SyncState;
import dev.ankisupervisor.statusfile.Staleness;
import dev.ankisupervisor.statusfile.StatusDocument;
import dev.ankisupervisor.statusfile.StatusReader;
import dev.ankisupervisor.statusfile.SyncView;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Step g: reads the supervisor's status file through the one reader and passes while
 * {@link Staleness} calls the last sync fresh, the rule {@code status} and {@code doctor} apply too
 * (docs/status.md). Stateless apart from its inputs; any thread.
 */
final class SyncFreshness {
  private final Path statusFile;
  private final Clock clock;

  SyncFreshness(Path statusFile, Clock clock) {
    this.statusFile = statusFile;
    this.clock = clock;
  }

  StepResult check() {
    StatusReader.Read read = StatusReader.read(statusFile);
    if (read instanceof StatusReader.Unusable u) {
      return StepResult.fail(CheckStep.STATUS_FILE, u.reason());
    }
    StatusDocument doc = ((StatusReader.Parsed) read).document();
    SyncView sync = doc.sync();
    if (sync.state() == SyncState.DISABLED) {
      return StepResult.skip(CheckStep.STATUS_FILE, "sync is disabled in the supervisor (sync.state disabled)");
    }
    Staleness staleness = Staleness.of(doc, clock.instant());
    String state = "sync.state " + sync.state()
        + (sync.error() == null ? "" : ", last error " + sync.error().kind().statusName() + ": " + sync.error().message());
    if (!staleness.isFresh()) {
      return StepResult.fail(CheckStep.STATUS_FILE, staleness.describe() + "; " + state
          + "; see `anki-supervisor status` and the journal");
    }
    return StepResult.pass(CheckStep.STATUS_FILE, staleness.reason() + ", " + state);
  }
}
