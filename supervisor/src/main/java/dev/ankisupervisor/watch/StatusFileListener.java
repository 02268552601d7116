package dev.ankisupervisor.watch;

import dev.ankisupervisor.status.StatusPublisher;
import dev.ankisupervisor.statusfile.AnkiView;
import dev.ankisupervisor.statusfile.ConnectView;
import dev.ankisupervisor.statusfile.StatusDocument;
import java.util.Objects;

/**
 * Writes the status file's {@code supervisor}, {@code anki} and {@code ankiConnect} parts from every
 * supervisor snapshot: each state change (starting, waiting for network,
 * ready, backing off, stopping, stopped, failed) and each answered probe rewrites the file. The
 * {@code ankiConnect.patches}/{@code problem} fields belong to {@link ReadyCheck} and are kept.
 *
 * <p>Threading: called on the supervisor thread. The write (temp file, fsync, rename) happens on
 * the publisher's {@code status-writer} thread, so no launch or relaunch waits for a disk; only the
 * final {@code stopped}/{@code failed} is written inline, which guarantees it reaches the disk before
 * the supervisor's future completes and the process exits.
 */
public final class StatusFileListener implements SupervisorListener {
  private final StatusPublisher publisher;

  public StatusFileListener(StatusPublisher publisher) {
    this.publisher = Objects.requireNonNull(publisher, "publisher");
  }

  @Override
  public void onChange(SupervisorSnapshot previous, SupervisorSnapshot current) {
    if (current.state().isTerminal()) {
      publisher.update(doc -> apply(doc, current));
    } else {
      publisher.updateLater(doc -> apply(doc, current));
    }
  }

  /** The document with this snapshot's facts in it; pure. */
  static StatusDocument apply(StatusDocument doc, SupervisorSnapshot s) {
    ConnectView old = doc.ankiConnect();
    return doc
        .withSupervisor(doc.supervisor().withState(s.state()))
        .withAnki(new AnkiView(s.ankiPid().isPresent() ? s.ankiPid().getAsLong() : null, s.profile(),
            s.readySince().orElse(null), s.restarts(), s.lastExit().map(StatusFileListener::exitView).orElse(null)))
        .withConnect(new ConnectView(s.ankiConnectUrl().orElse(old.url()), s.lastProbeAt().orElse(null),
            s.lastProbeLatency().map(d -> d.toMillis()).orElse(null), old.patches(), old.problem()));
  }

  private static AnkiView.LastExit exitView(LastExit e) {
    return new AnkiView.LastExit(e.at(), e.exitCode().isPresent() ? e.exitCode().getAsInt() : null,
        e.signal().orElse(null), e.reason());
  }
}
