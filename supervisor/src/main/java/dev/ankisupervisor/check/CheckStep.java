package dev.ankisupervisor.check;

/**
 * The steps of {@code anki-supervisor check}, in the order they run. Each prints one line
 * {@code PASS|FAIL|SKIP <id> <name>: <detail>}. Immutable; any thread.
 */
public enum CheckStep {
  /** a: {@code version} answers with {@code error: null} (A4: the process answers, the key is right). */
  VERSION("a", "version"),
  /** b: {@code getConfig} of a key that does not exist answers {@code null} (P1). */
  CONFIG_ABSENT("b", "config-absent"),
  /** c: {@code setConfig} then {@code getConfig} of a fresh allowed key round-trips, then resets it to null (P1). */
  CONFIG_ROUND_TRIP("c", "config-round-trip"),
  /** d: {@code setConfig} of a key outside the prefixes fails with {@code config key is not allowed} (P1). */
  CONFIG_PREFIX_RULE("d", "config-prefix-rule"),
  /** e: a value one byte over {@code maxValueBytes} fails with {@code config value is too large} (P1). */
  CONFIG_SIZE_CAP("e", "config-size-cap"),
  /** f: {@code deckNames} works, so a collection is open (A4 readiness). */
  COLLECTION("f", "collection"),
  /** f: {@code apiReflect} lists getConfig, setConfig, headlessSync and fullSync (P1, P2). */
  PATCHES("f", "patches"),
  /** g: the status file is ours and its sync is fresh by the one staleness rule (docs/status.md). */
  STATUS_FILE("g", "status-file");

  private final String id;
  private final String label;

  CheckStep(String id, String label) {
    this.id = id;
    this.label = label;
  }

  /** The step's letter as printed, {@code a} to {@code g}. */
  public String id() {
    return id;
  }

  /** A short name, stable for scripts: {@code config-prefix-rule}. */
  public String label() {
    return label;
  }
}
