package dev.ankisupervisor.watch;

import dev.ankisupervisor.ankiconnect.AddonPatches;
import dev.ankisupervisor.ankiconnect.AnkiConnectClient;
import dev.ankisupervisor.ankiconnect.AnkiConnectException;
import dev.ankisupervisor.ankiconnect.Patch;
import dev.ankisupervisor.check.PatchDetector;
import dev.ankisupervisor.config.SupervisorSettings;
import dev.ankisupervisor.status.StatusPublisher;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At each READY, asks {@code apiReflect} once which of our patches the add-on has
 * (A4): {@code --config-api-enable} without P1, or a sync server (first-boot bootstrap) without
 * P2, is one ERROR line naming the missing patch file and the status file's
 * {@code ankiConnect.problem}; never a crash. {@code ankiConnect.patches} shows what is live.
 *
 * <p>Threading: {@link #run} blocks on one AnkiConnect call; call it off the supervisor thread (the
 * sync loop's thread, as it resumes). Stateless apart from its settings.
 */
final class ReadyCheck {
  private static final Logger LOG = LoggerFactory.getLogger(ReadyCheck.class);

  private final Set<Patch> needed;
  private final StatusPublisher publisher;
  private final Duration timeout;

  ReadyCheck(Set<Patch> needed, StatusPublisher publisher, Duration timeout) {
    this.needed = needed.isEmpty() ? EnumSet.noneOf(Patch.class) : EnumSet.copyOf(needed);
    this.publisher = Objects.requireNonNull(publisher, "publisher");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
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
   * Asks apiReflect, logs and publishes the outcome.
   *
   * @return what the add-on can do, for the sync runner; empty when apiReflect did not answer (the
   *     runner then asks at its first sync)
   */
  Optional<AddonPatches> run(AnkiConnectClient client) {
    List<String> actions;
    try {
      actions = AddonPatches.reflectActions(client, timeout);
    } catch (AnkiConnectException e) {
      LOG.warn("apiReflect at ready failed ({}); the patch check runs again at the next ready, the sync asks itself",
          e.getMessage());
      return Optional.empty();
    }
    AddonPatches live = AddonPatches.fromActions(actions);
    List<String> problems = PatchDetector.problems(needed, actions);
    problems.forEach(LOG::error);
    LOG.info("AnkiConnect patches: config API {}, headless sync {}", live.configApi(), live.headlessSync());
    String problem = problems.isEmpty() ? null : String.join("; ", problems);
    publisher.update(d -> d.withConnect(d.ankiConnect().withPatches(live, problem)));
    return Optional.of(live);
  }
}
