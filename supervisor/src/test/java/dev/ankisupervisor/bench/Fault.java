package dev.ankisupervisor.bench;

/**
 * The faults the fault-injection run injects from outside (the stand-in's knobs are read only at
 * process start, so a running Anki is faulted by signals, and the server by restarting it with
 * other knobs).
 */
enum Fault {
  /** SIGKILL of the Anki pid: a crash. Recovered: a new Anki answers deckNames. */
  CRASH(true),
  /** SIGABRT of the Anki pid (what a QtWebEngine/EGL failure does, C4). */
  ABORT(true),
  /** SIGSTOP of the Anki pid: the API stops answering while the process lives; liveness must end it. */
  HANG(true),
  /** SIGKILL, then a foreign listener on the AnkiConnect port until it is removed (A3; a holder not provably ours is never killed). */
  STRAY_PORT(true),
  /** The sync server restarted with STANDIN_SYNC_DELAY_MS: syncs block AnkiConnect for seconds (A3). */
  SLOW_SYNC(false),
  /** The sync server stopped (SIGTERM, S3), started again later on the same port. */
  SERVER_DOWN(false),
  /** The sync server restarted with STANDIN_SYNC_FAIL_STATUS=500. */
  SERVER_5XX(false),
  /**
   * The supervisor stopped by SIGTERM and started again with ANKI_STANDIN_IGNORE_SIGTERM=1 in the
   * environment: from then on every SIGTERM to Anki is ignored, so stops need the SIGKILL escalation.
   * Injected once, halfway.
   */
  IGNORE_SIGTERM(true),
  /**
   * A second {@code anki-supervisor run} started on the live base (same flags): it must exit 78 at
   * once naming the owner's pid, and the first supervisor, its Anki and its pidfiles stay as they
   * were. Recovered: all of that holds and the same Anki still answers. Also injected once first.
   */
  SECOND_SUPERVISOR(false);

  /** True when the fault hits Anki (recovery is timed from the injection), false for the server (from the repair). */
  private final boolean hitsAnki;

  Fault(boolean hitsAnki) {
    this.hitsAnki = hitsAnki;
  }

  boolean hitsAnki() {
    return hitsAnki;
  }

  /** The faults drawn at random. */
  static final Fault[] RANDOM = {CRASH, ABORT, HANG, STRAY_PORT, SLOW_SYNC, SERVER_DOWN, SERVER_5XX, SECOND_SUPERVISOR};
}
