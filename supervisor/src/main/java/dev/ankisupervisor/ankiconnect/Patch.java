package dev.ankisupervisor.ankiconnect;

import java.util.Set;

/**
 * Our AnkiConnect patches (P1, P2): which actions prove each is live, its file under
 * {@code patches/}, and its key in the status file's {@code ankiConnect.patches} object.
 * Immutable; any thread.
 */
public enum Patch {
  /** P1: the {@code configApi} setting with {@code getConfig} and {@code setConfig}. */
  CONFIG_ACTIONS("P1", "anki-connect-config-actions.patch", "configApi", Set.of("getConfig", "setConfig")),
  /** P2: {@code headlessSync} and {@code fullSync}, sync without GUI dialogs. */
  HEADLESS_SYNC("P2", "anki-connect-headless-sync.patch", "headlessSync", Set.of("headlessSync", "fullSync"));

  private final String contractId;
  private final String fileName;
  private final String statusKey;
  private final Set<String> actions;

  Patch(String contractId, String fileName, String statusKey, Set<String> actions) {
    this.contractId = contractId;
    this.fileName = fileName;
    this.statusKey = statusKey;
    this.actions = actions;
  }

  /** The contract item, {@code P1} or {@code P2}. */
  public String contractId() {
    return contractId;
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

  /** How a log line or check detail names the patch: {@code P1 (anki-connect-config-actions.patch)}. */
  public String describe() {
    return contractId + " (" + fileName + ")";
  }
}
