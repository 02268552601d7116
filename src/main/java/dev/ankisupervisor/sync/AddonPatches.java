package dev.ankisupervisor.sync;

import java.util.Collection;

/**
 * Which of our AnkiConnect patches the running add-on has, learnt from {@code apiReflect} (A4).
 *
 * @param configApi P1: {@code getConfig} and {@code setConfig}
 * @param headlessSync P2: {@code headlessSync} and {@code fullSync}
 */
public record AddonPatches(boolean configApi, boolean headlessSync) {
  /** From apiReflect's {@code actions} list. */
  public static AddonPatches fromActions(Collection<String> actions) {
    return new AddonPatches(
        actions.contains("getConfig") && actions.contains("setConfig"),
        actions.contains("headlessSync") && actions.contains("fullSync"));
  }
}
