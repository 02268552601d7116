package dev.ankisupervisor.watch;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * Classifies how an Anki process ended, when the supervisor did not end it itself (issue 3,
 * step 10): killed by a signal = crashed; non-zero = exited with an error; zero before ready =
 * the C5 "Already running" exit, a failure; zero after ready = an unexpected quit, also a failure.
 *
 * <p>Threading: pure; any thread.
 */
final class ExitKind {
  private ExitKind() {}

  static String reasonOf(OptionalInt exitCode, Optional<String> signal, boolean wasReady) {
    if (signal.isPresent()) {
      return "crashed";
    }
    int code = exitCode.orElse(-1);
    if (code != 0) {
      return "exited with an error";
    }
    return wasReady ? "quit unexpectedly" : "exited before ready";
  }

  /** A hint for the log: what this kind of exit usually means. */
  static String hintOf(OptionalInt exitCode, Optional<String> signal, boolean wasReady) {
    if (signal.filter("SIGABRT"::equals).isPresent() && !wasReady) {
      return "; an abort at start is often QtWebEngine without a GPU (C4: gldriver6 and --disable-gpu) or a missing libGL.so.1";
    }
    if (signal.isEmpty() && exitCode.orElse(-1) == 0 && !wasReady) {
      return "; a quick exit 0 is what a second Anki does when one is already running for this user (C5:"
          + " \"Already running; reusing existing instance.\"); check for another Anki with the same TMPDIR";
    }
    return "";
  }
}
