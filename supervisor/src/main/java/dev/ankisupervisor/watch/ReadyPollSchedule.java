package dev.ankisupervisor.watch;

import java.time.Duration;

/**
 * When the next readiness poll ({@code deckNames}, A4) of a starting Anki is due. For the first
 * {@link #FAST_FOR} after the launch, a failed poll is followed by the next one {@link #FIRST}
 * later, so a ready Anki is seen within about that much (plus one AnkiConnect timer tick, A3) of
 * answering; a normal start (the stand-in, real Anki: about a second, a few under load) ends inside
 * that window. After it, the wait doubles up to the cap (the ready poll interval, 500 ms): a start
 * that takes that long (a big collection, a dialog: C6) is not polled 50 times a second for minutes.
 * Doubling from the launch instead would wait 320-500 ms between polls by the time a normal Anki is
 * ready, which is what made readiness late.
 *
 * <p>What a poll costs the starting Anki: while nothing listens yet, nothing (the kernel refuses the
 * connection); once AnkiConnect listens, one request handled in one tick of its timer on the GUI
 * thread, never more than one at a time (the next poll is scheduled only after the last one's
 * answer, A3). Once Anki is ready there are no readiness polls at all, only liveness.
 *
 * <p>Threading: one per round of readiness polls, used on the supervisor thread only.
 */
final class ReadyPollSchedule {
  /** The wait after a failed poll while the start is young. */
  static final Duration FIRST = Duration.ofMillis(20);
  /** How long after the launch the polls stay that close together. */
  static final Duration FAST_FOR = Duration.ofSeconds(10);

  private final Duration first;
  private final Duration cap;
  private final Duration fastFor;
  /** The last wait handed out after the fast window, or null while in it. */
  private Duration doubling;

  /** The schedule with {@link #FIRST} and {@link #FAST_FOR} (both at most {@code cap}'s and the window's worth). */
  ReadyPollSchedule(Duration cap) {
    this(FIRST.compareTo(cap) <= 0 ? FIRST : cap, cap, FAST_FOR);
  }

  ReadyPollSchedule(Duration first, Duration cap, Duration fastFor) {
    if (first.isNegative() || first.isZero() || cap.compareTo(first) < 0 || fastFor.isNegative()) {
      throw new IllegalArgumentException("ready poll schedule: need 0 < first <= cap and fastFor >= 0, found "
          + first + ", " + cap + ", " + fastFor);
    }
    this.first = first;
    this.cap = cap;
    this.fastFor = fastFor;
  }

  /**
   * The wait before the next poll, after a failed one that ended {@code sinceLaunch} after the launch.
   */
  Duration next(Duration sinceLaunch) {
    if (sinceLaunch.compareTo(fastFor) < 0) {
      return first;
    }
    doubling = doubling == null ? first.multipliedBy(2) : doubling.multipliedBy(2);
    if (doubling.compareTo(cap) > 0) {
      doubling = cap;
    }
    return doubling;
  }
}
