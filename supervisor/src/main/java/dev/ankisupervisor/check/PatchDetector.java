package dev.ankisupervisor.check;

import dev.ankisupervisor.ankiconnect.Patch;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Tells which of our patches (P1, P2) the running AnkiConnect has, from apiReflect's action list
 * (A4: that list is how a patched add-on differs from a stock one). A patch counts as live only when
 * every action it adds is listed. Stateless; any thread.
 */
public final class PatchDetector {
  private PatchDetector() {}

  /** The patches whose actions are all in {@code actions}. */
  public static Set<Patch> livePatches(Collection<String> actions) {
    Set<Patch> live = EnumSet.noneOf(Patch.class);
    for (Patch p : Patch.values()) {
      if (actions.containsAll(p.actions())) {
        live.add(p);
      }
    }
    return live;
  }

  /** The patches in {@code needed} that are not live. */
  public static Set<Patch> missing(Set<Patch> needed, Collection<String> actions) {
    Set<Patch> missing = needed.isEmpty() ? EnumSet.noneOf(Patch.class) : EnumSet.copyOf(needed);
    missing.removeAll(livePatches(actions));
    return missing;
  }

  /**
   * The error to log when a setting needs a patch the add-on lacks (the patch check at ready), e.g. for
   * {@code configApi.enable} without P1; empty when every needed patch is live.
   */
  public static List<String> problems(Set<Patch> needed, Collection<String> actions) {
    List<String> problems = new ArrayList<>();
    for (Patch p : missing(needed, actions)) {
      problems.add("AnkiConnect lacks " + p.describe() + ": apiReflect does not list "
          + p.actions().stream().sorted().collect(Collectors.joining(", "))
          + "; the settings need it; apply patches/" + p.fileName() + " to the add-on (see patches/README.md)");
    }
    return problems;
  }
}
