package dev.ankisupervisor.watch;

import dev.ankisupervisor.model.SupervisorState;
import dev.ankisupervisor.systemd.Notifier;
import java.time.Duration;

/**
 * Tells systemd what the supervisor is doing, from its snapshots (as the status file is written
 * from them): {@code STATUS=} at each state, {@code READY=1} once AnkiConnect answers,
 * {@code STOPPING=1}, and {@code EXTEND_TIMEOUT_USEC} while the start or stop legitimately takes
 * long. Also the periodic {@code WATCHDOG=1} and extensions, and the network wait's progress lines.
 *
 * <p>Threading: called on the supervisor thread only. A no-op without {@code NOTIFY_SOCKET}.
 */
final class NotifyBridge implements SupervisorListener {
  private final Notifier notifier;
  private final WatchSettings settings;

  NotifyBridge(Notifier notifier, WatchSettings settings) {
    this.notifier = notifier;
    this.settings = settings;
  }

  @Override
  public void onChange(SupervisorSnapshot previous, SupervisorSnapshot s) {
    if (previous.state() == s.state()) {
      return;
    }
    switch (s.state()) {
      case WAITING_FOR_NETWORK -> {
        notifier.status("waiting for the network (bind address)");
        notifier.extendTimeout(settings.extendBy());
      }
      case STARTING -> notifier.status("starting Anki (profile " + s.profile() + ", AnkiConnect "
          + s.ankiConnectUrl().orElse("?") + ")");
      case READY -> notifier.ready("ready: AnkiConnect at " + s.ankiConnectUrl().orElse("?") + " (profile "
          + s.profile() + ", Anki pid " + s.ankiPid().orElse(-1) + ")");
      case BACKING_OFF -> notifier.status("Anki " + s.lastExit().map(LastExit::describe).orElse("ended")
          + "; restarting in " + HumanDuration.of(s.restartDelay().orElse(Duration.ZERO)));
      case STOPPING -> {
        notifier.stopping("stopping Anki");
        if (s.ankiPid().isPresent()) {
          notifier.extendTimeout(settings.stopTimeout().plus(settings.extendBy()));
        }
      }
      case STOPPED -> notifier.status("stopped");
      case FAILED -> notifier.status("failed: " + s.failureReason().orElse("?"));
      case PREPARING -> { }
    }
  }

  /** One progress line of the network wait. */
  void progress(String line) {
    notifier.status(line);
  }

  void watchdog() {
    notifier.watchdog();
  }

  /** The states whose length systemd's start or stop timeout would otherwise cut short. */
  static boolean isBusy(SupervisorState s) {
    return s == SupervisorState.WAITING_FOR_NETWORK || s == SupervisorState.STARTING || s == SupervisorState.STOPPING;
  }

  /** One more {@code EXTEND_TIMEOUT_USEC}, while {@link #isBusy}. */
  void extendTimeout() {
    notifier.extendTimeout(settings.extendBy());
  }
}
