package dev.ankisupervisor.statusfile;

import dev.ankisupervisor.ankiconnect.AddonPatches;
import dev.ankisupervisor.model.FullSyncDirection;
import dev.ankisupervisor.model.SupervisorState;
import dev.ankisupervisor.model.SyncOutcome;
import dev.ankisupervisor.model.SyncState;
import dev.ankisupervisor.model.SyncTrigger;
import java.time.Instant;

/** Sample documents for the status tests. */
public final class Documents {
  public static final Instant T0 = Instant.parse("2026-11-26T09:00:00Z");

  private Documents() {}

  /** A ready supervisor that synced OK at {@code lastSuccess}, interval 300 s. */
  public static StatusDocument ready(Instant lastSuccess) {
    return new StatusDocument(1, lastSuccess,
        new SupervisorView(123, 4242L, "0.1.0", T0, SupervisorState.READY),
        new AnkiView(456L, "server", T0.plusSeconds(5), 0, null),
        new ConnectView("http://100.64.0.1:8765/", lastSuccess, 3L, new AddonPatches(true, true), null),
        new SyncView(SyncState.of(SyncOutcome.OK), SyncTrigger.INTERVAL, lastSuccess.minusSeconds(1), lastSuccess, 1000L,
            lastSuccess, 0, lastSuccess.plusSeconds(299), 300, null, null));
  }

  public static StatusDocument failedSync(Instant lastSuccess, Instant lastAttempt, String state) {
    StatusDocument d = ready(lastSuccess);
    SyncState s = SyncState.fromStatusName(state);
    return d.withSync(new SyncView(s, SyncTrigger.INTERVAL, lastAttempt, lastAttempt.plusSeconds(1), 1000L, lastSuccess, 1,
        lastAttempt.plusSeconds(30), 300, "full_sync_required".equals(state) ? FullSyncDirection.UPLOAD : null,
        new SyncView.SyncError(s.outcome().orElseThrow(), "the message for " + state)));
  }
}
