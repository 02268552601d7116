package dev.ankisupervisor.watch;

import dev.ankisupervisor.model.ExitReason;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Classifies how an Anki process ended, when the supervisor did not end it itself: killed by a
 * signal = crashed; non-zero = exited with an error; zero before ready = the C5 "Already running"
 * exit, a failure; zero after ready = an unexpected quit, also a failure.
 *
 * <p>Threading: stateless; any thread.
 */
final class ExitKind {
  private static final Logger LOG = LoggerFactory.getLogger(ExitKind.class);

  private ExitKind() {}

  /** How the exit reads in the status file: our reason when we ended it, else its kind. */
  static LastExit lastExit(Instant at, OptionalInt exitCode, Optional<String> signal, EndReason ours, boolean wasReady) {
    return new LastExit(at, exitCode, signal, ours != null ? ours.exitReason() : reasonOf(exitCode, signal, wasReady));
  }

  /**
   * An exit we did not cause is an error, with a hint (the cause Anki's output named, else what the
   * kind of exit usually means); one we caused is a warning.
   */
  static void log(long pid, LastExit exit, EndReason ours, boolean wasReady, Optional<String> diagnosis) {
    if (ours == null) {
      LOG.error("Anki pid {} {}{}", pid, exit.describe(), diagnosis.map(d -> "; " + d)
          .orElseGet(() -> hintOf(exit.exitCode(), exit.signal(), wasReady)));
    } else {
      LOG.warn("Anki pid {} ended ({})", pid, ours.exitReason().statusName());
    }
  }

  static ExitReason reasonOf(OptionalInt exitCode, Optional<String> signal, boolean wasReady) {
    if (signal.isPresent()) {
      return ExitReason.CRASHED;
    }
    int code = exitCode.orElse(-1);
    if (code != 0) {
      return ExitReason.EXITED_WITH_ERROR;
    }
    return wasReady ? ExitReason.QUIT_UNEXPECTEDLY : ExitReason.EXITED_BEFORE_READY;
  }

  /** A hint for the log: what this kind of exit usually means. */
  static String hintOf(OptionalInt exitCode, Optional<String> signal, boolean wasReady) {
    if (signal.filter("SIGABRT"::equals).isPresent() && !wasReady) {
      return "; an abort at start is often QtWebEngine without a GPU (gldriver6 should say software and"
          + " QTWEBENGINE_CHROMIUM_FLAGS hold --disable-gpu) or a missing libGL.so.1";
    }
    if (signal.isEmpty() && exitCode.orElse(-1) == 0 && !wasReady) {
      return "; a quick exit 0 is what a second Anki does when one is already running for this user ("
          + "\"Already running; reusing existing instance.\"); check for another Anki with the same TMPDIR";
    }
    return "";
  }
}
