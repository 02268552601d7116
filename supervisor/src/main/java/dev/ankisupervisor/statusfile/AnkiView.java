package dev.ankisupervisor.statusfile;

import dev.ankisupervisor.model.ExitReason;
import java.time.Instant;
import java.util.Objects;

/**
 * The status file's {@code anki} object. Immutable; any thread. Nullable fields are null in the
 * JSON too.
 *
 * @param pid Anki's pid; null while none runs
 * @param profile the profile name
 * @param readySince when AnkiConnect last answered {@code deckNames} (ready); null while not ready
 * @param restarts how many times the supervisor restarted Anki
 * @param lastExit how Anki last ended; null before the first exit
 */
public record AnkiView(Long pid, String profile, Instant readySince, int restarts, LastExit lastExit) {
  public AnkiView {
    Objects.requireNonNull(profile, "profile");
    if (restarts < 0) {
      throw new IllegalArgumentException("restarts must be >= 0, found " + restarts);
    }
  }

  /**
   * How Anki last ended.
   *
   * @param at when
   * @param exitCode its exit code; null when a signal ended it
   * @param signal the signal's name ({@code SIGABRT}); null when it exited
   * @param reason the supervisor's reading of it
   */
  public record LastExit(Instant at, Integer exitCode, String signal, ExitReason reason) {
    public LastExit {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(reason, "reason");
    }
  }
}
