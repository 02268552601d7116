package dev.ankisupervisor.watch;

import dev.ankisupervisor.model.HumanDuration;
import dev.ankisupervisor.model.SupervisorState;
import dev.ankisupervisor.os.Scheduler;
import dev.ankisupervisor.systemd.Notifier;
import java.time.Duration;

/**
 * Tells systemd what the supervisor is doing, from its snapshots (as the status file is written
 * from them): {@code STATUS=} at each state, {@code READY=1} once AnkiConnect answers,
 * {@code STOPPING=1}, and {@code EXTEND_TIMEOUT_USEC} while the start or stop legitimately takes
 * long. Also the periodic {@code WATCHDOG=1} and extensions, and the network wait's progress lines.
 *
 * <p>Threading: called on the supervisor thread only (its timers run there too). A no-op without
 * {@code NOTIFY_SOCKET}.
 */
final class NotifyBridge implements SupervisorListener {
  private final Notifier notifier;
  private final WatchSettings settings;
  private final SupervisorThread thread;
  /** The state last seen, for the extension timer. */
  private SupervisorState current = SupervisorState.PREPARING;
  /** The EXTEND_TIMEOUT_USEC timer: set only while systemd waits on a start or stop, so an idle READY never wakes. */
  private Scheduler.Scheduled extendTimer;

  NotifyBridge(Notifier notifier, WatchSettings settings, SupervisorThread thread) {
    this.notifier = notifier;
    this.settings = settings;
    this.thread = thread;
  }

  @Override
  public void onChange(SupervisorSnapshot previous, SupervisorSnapshot s) {
    if (previous.state() == s.state()) {
      return;
    }
    current = s.state();
    extendWhileBusy();
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
  private static boolean isBusy(SupervisorState s) {
    return s == SupervisorState.WAITING_FOR_NETWORK || s == SupervisorState.STARTING || s == SupervisorState.STOPPING;
  }

  /** Starts the extension timer on entering a busy state and cancels it on leaving one. */
  private void extendWhileBusy() {
    boolean busy = isBusy(current);
    if (busy && extendTimer == null) {
      extendTimer = thread.after(settings.extendInterval(), this::extendAgain);
    } else if (!busy && extendTimer != null) {
      extendTimer.cancel();
      extendTimer = null;
    }
  }

  private void extendAgain() {
    extendTimer = null;
    if (isBusy(current)) {
      notifier.extendTimeout(settings.extendBy());
      extendTimer = thread.after(settings.extendInterval(), this::extendAgain);
    }
  }
}
