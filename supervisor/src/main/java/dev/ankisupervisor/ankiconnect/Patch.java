package dev.ankisupervisor.ankiconnect;

import java.util.Set;

/**
 * Our AnkiConnect patches (P1, P2): which actions prove each is live, its file under
 * {@code patches/}, and its key in the status file's {@code ankiConnect.patches} object.
 * Immutable; any thread.
 */
public enum Patch {
  /** P1: the {@code configApi} setting with {@code getConfig} and {@code setConfig}. */
  CONFIG_ACTIONS("config API", "anki-connect-config-actions.patch", "configApi", Set.of("getConfig", "setConfig")),
  /** P2: {@code headlessSync} and {@code fullSync}, sync without GUI dialogs. */
  HEADLESS_SYNC("headless sync", "anki-connect-headless-sync.patch", "headlessSync", Set.of("headlessSync", "fullSync"));

  /** What an operator calls it; the contract's P1/P2 stay in comments and docs. */
  private final String title;
  private final String fileName;
  private final String statusKey;
  private final Set<String> actions;

  Patch(String title, String fileName, String statusKey, Set<String> actions) {
    this.title = title;
    this.fileName = fileName;
    this.statusKey = statusKey;
    this.actions = actions;
  }

  /** Its name in messages: {@code config API} (P1) or {@code headless sync} (P2). */
  public String title() {
    return title;
  }

  /** The patch file's name under {@code patches/}. */
  public String fileName() {
    return fileName;
  }

  /** The key under {@code ankiConnect.patches} in the status file (schema 1, docs/status.md). */
  public String statusKey() {
    return statusKey;
  }

  /** The actions the patch adds; all of them must be listed by apiReflect for the patch to be live. */
  public Set<String> actions() {
    return actions;
  }

  /**
   * How a log line or check detail names the patch:
   * {@code the config API patch (anki-connect-config-actions.patch)}.
   */
  public String describe() {
    return "the " + title + " patch (" + fileName + ")";
  }
}
