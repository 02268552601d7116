package dev.ankisupervisor.standin.anki;

import java.time.Duration;

/**
 * The stand-in's only place that sleeps: waits of a knob's length, and "forever" for a dialog
 * nobody clicks. Any thread; an interrupt ends a finite wait early and is kept.
 */
final class Pause {
  private Pause() {}

  static void sleep(Duration d) {
    if (d.isZero() || d.isNegative()) {
      return;
    }
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Blocks this thread for good (a modal dialog nobody can click, C3). */
  static void forever() {
    while (true) {
      try {
        Thread.sleep(Long.MAX_VALUE);
      } catch (InterruptedException e) {
        // a modal dialog ignores everything; keep waiting
      }
    }
  }
}
