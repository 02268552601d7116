package dev.ankisupervisor.standin.anki;

import java.time.Duration;
import java.util.Map;

/**
 * The stand-in's fault knobs (ANKI_STANDIN_* environment variables, see docs/standin.md, "The stand-in Anki"),
 * read once at start. The sync and patch knobs are read by the sync/config actions themselves.
 * Immutable.
 *
 * @param startupDelay before the main window is built and add-ons load
 * @param crashAfter die by SIGABRT this long after start (null: never)
 * @param exitAfter exit with {@code exitCode} this long after start (null: never)
 * @param apiHangAfter AnkiConnect stops answering this long after start (null: never)
 * @param ignoreSigterm SIGTERM does nothing, even with a collection open
 * @param spawnChild start a helper child like QtWebEngineProcess
 * @param memoryGrowthKbPerS heap growth per second (0: none)
 * @param closeDelay extra time a clean close takes
 * @param realQt the main window is a real QtWebEngine view ({@link RealWebView}), not played
 */
record FaultKnobs(
    Duration startupDelay,
    Duration crashAfter,
    Duration exitAfter,
    int exitCode,
    Duration apiHangAfter,
    boolean ignoreSigterm,
    boolean spawnChild,
    long memoryGrowthKbPerS,
    Duration closeDelay,
    boolean realQt) {

  static FaultKnobs from(Map<String, String> env) {
    return new FaultKnobs(
        orZero(millis(env, "ANKI_STANDIN_STARTUP_DELAY_MS")),
        millis(env, "ANKI_STANDIN_CRASH_AFTER_MS"),
        millis(env, "ANKI_STANDIN_EXIT_AFTER_MS"),
        (int) number(env, "ANKI_STANDIN_EXIT_CODE", 1),
        millis(env, "ANKI_STANDIN_API_HANG_AFTER_MS"),
        flag(env, "ANKI_STANDIN_IGNORE_SIGTERM"),
        flag(env, "ANKI_STANDIN_SPAWN_CHILD"),
        number(env, "ANKI_STANDIN_MEMORY_GROWTH_KB_PER_S", 0),
        orZero(millis(env, "ANKI_STANDIN_CLOSE_DELAY_MS")),
        flag(env, "ANKI_STANDIN_REAL_QT"));
  }

  private static Duration orZero(Duration d) {
    return d == null ? Duration.ZERO : d;
  }

  private static Duration millis(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : Duration.ofMillis(number(env, name, 0));
  }

  private static long number(Map<String, String> env, String name, long dflt) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      return Long.parseLong(v.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + "=" + v + " is not a whole number; the knob takes"
          + " milliseconds (or a count); fix or unset " + name, e);
    }
  }

  private static boolean flag(Map<String, String> env, String name) {
    String v = env.get(name);
    return v != null && !v.isBlank() && !v.equals("0") && !v.equalsIgnoreCase("false");
  }
}
