package dev.ankisupervisor.watch;

import dev.ankisupervisor.ankiconnect.AddonPatches;
import dev.ankisupervisor.ankiconnect.AnkiConnectException;
import dev.ankisupervisor.ankiconnect.Patch;
import dev.ankisupervisor.ankiconnect.PatchProbe;
import dev.ankisupervisor.config.SupervisorSettings;
import dev.ankisupervisor.status.StatusPublisher;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At each READY, asks the {@link PatchProbe} which of our patches the add-on has
 * (A4): {@code --config-api-enable} without P1, or a sync server (first-boot bootstrap) without
 * P2, is one ERROR line naming the missing patch file and the status file's
 * {@code ankiConnect.problem}; never a crash. {@code ankiConnect.patches} shows what is live.
 *
 * <p>Threading: {@link #run} may block on one AnkiConnect call; call it off the supervisor thread (the
 * sync loop's thread, as it resumes). Stateless apart from its settings.
 */
final class ReadyCheck {
  private static final Logger LOG = LoggerFactory.getLogger(ReadyCheck.class);

  private final Set<Patch> needed;
  private final StatusPublisher publisher;

  ReadyCheck(Set<Patch> needed, StatusPublisher publisher) {
    this.needed = needed.isEmpty() ? EnumSet.noneOf(Patch.class) : EnumSet.copyOf(needed);
    this.publisher = Objects.requireNonNull(publisher, "publisher");
  }

  /** The patches these settings need: P1 for {@code configApi.enable}, P2 when a sync server is set (bootstrap). */
  static Set<Patch> neededBy(SupervisorSettings settings) {
    Set<Patch> needed = EnumSet.noneOf(Patch.class);
    if (settings.connect().configApi().enable()) {
      needed.add(Patch.CONFIG_ACTIONS);
    }
    if (settings.sync().url().isPresent()) {
      needed.add(Patch.HEADLESS_SYNC);
    }
    return needed;
  }

  /**
   * Asks the probe, logs and publishes the outcome. When apiReflect does not answer, the file is left
   * alone and the probe asks again at the first sync.
   */
  void run(PatchProbe probe) {
    AddonPatches live;
    try {
      live = probe.patches();
    } catch (AnkiConnectException e) {
      LOG.warn("apiReflect at ready failed ({}); the patch check runs again at the next ready, the sync asks itself",
          e.getMessage());
      return;
    }
    List<String> problems = live.missing(needed).stream().map(ReadyCheck::problemOf).toList();
    problems.forEach(LOG::error);
    String problem = problems.isEmpty() ? null : String.join("; ", problems);
    publisher.update(d -> d.withConnect(d.ankiConnect().withPatches(live, problem)));
  }

  /** The error for a setting that needs a patch the add-on lacks, e.g. {@code configApi.enable} without P1. */
  private static String problemOf(Patch p) {
    return "AnkiConnect lacks " + p.describe() + ": apiReflect does not list "
        + p.actions().stream().sorted().collect(Collectors.joining(", "))
        + "; the settings need it; apply patches/" + p.fileName() + " to the add-on (see patches/README.md)";
  }
}
