package dev.ankisupervisor.sync;

import dev.ankisupervisor.ankiconnect.AddonPatches;
import dev.ankisupervisor.ankiconnect.AnkiConnectClient;
import dev.ankisupervisor.ankiconnect.AnkiConnectException;
import dev.ankisupervisor.ankiconnect.HttpClients;
import dev.ankisupervisor.ankiconnect.PatchProbe;
import dev.ankisupervisor.model.FullSyncDirection;
import dev.ankisupervisor.model.SyncOutcome;
import dev.ankisupervisor.model.SyncTrigger;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs ONE collection sync through AnkiConnect and classifies it (C8, A4, P2).
 *
 * <ul>
 *   <li>Asks its {@link PatchProbe} whether the add-on has P2 ({@code headlessSync}/{@code fullSync});
 *       the probe asks apiReflect only when it does not know yet.
 *   <li>Uses {@code headlessSync} (P2) when present, else the stock {@code sync} (A4), with a call
 *       timeout of the profile's network timeout plus a margin.
 *   <li>Until the first success, and when a sync URL is set, first asks {@code GET <url>health} (S1) so
 *       "server unreachable" is told apart from "bad login".
 *   <li>A needed full sync with a local collection that holds nothing a user or an app put there
 *       ({@link LocalContent}) becomes a full download (P2 {@code fullSync}, which backs the local
 *       collection up first and refuses itself when the collection holds anything, config keys
 *       included), then checks the decks arrived: {@code bootstrap complete: N decks, M cards}.
 *       Otherwise it never overwrites anything: {@code full_sync_required} and the command that
 *       resolves it.
 *   <li>Both sides without cards (rslib's "either way" full sync, or no changes on a collection
 *       without cards) is {@code waiting_for_first_upload}: nothing can be lost, and the first sync
 *       after a device uploaded becomes the bootstrap.
 * </ul>
 *
 * <p>Threading: one sync at a time; call {@link #sync} and {@link #fullSync} from one thread (the
 * sync loop's). Never throws for a failed sync: every failure becomes a {@link SyncResult}.
 */
public final class SyncRunner {
  private static final Logger LOG = LoggerFactory.getLogger(SyncRunner.class);
  static final String NO_P2_PROBLEM = "AnkiConnect has no headlessSync/fullSync actions (stock add-on): syncs use"
      + " the stock sync action and a first-boot full download cannot run; install our headless-sync patch"
      + " (patches/anki-connect-headless-sync.patch)";

  /**
   * Timeouts.
   *
   * @param networkTimeout the profile's {@code networkTimeout} (C2, default 60 s)
   * @param margin added to it for the sync call (Anki needs a moment beyond its own timeout)
   * @param probeTimeout apiReflect, findCards, deckNames
   * @param healthTimeout the sync server's /health
   * @param fullSyncTimeout a full download or upload (big collections take minutes)
   */
  public record Options(Duration networkTimeout, Duration margin, Duration probeTimeout, Duration healthTimeout,
      Duration fullSyncTimeout) {
    public static final Options DEFAULT = new Options(Duration.ofSeconds(60), Duration.ofSeconds(15),
        Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofMinutes(10));

    public Options {
      for (Duration d : List.of(networkTimeout, margin, probeTimeout, healthTimeout, fullSyncTimeout)) {
        if (d.isNegative()) {
          throw new IllegalArgumentException("sync timeouts must be >= 0, found " + d);
        }
      }
    }

    /** The call timeout of one sync: network timeout plus margin. */
    public Duration syncCallTimeout() {
      return networkTimeout.plus(margin);
    }
  }

  private final AnkiConnectClient client;
  /** Which patches the add-on has; shared with the supervisor's patch check at ready. */
  private final PatchProbe patches;
  private final Optional<String> syncUrl;
  private final Options options;
  private final Clock clock;
  /** The full-sync commands a needed full sync's message names. */
  private final FullSyncCommands commands;
  /** Told when a sync turns into the bootstrap (the status file then shows it in flight). */
  private volatile Runnable onBootstrapStart = () -> {};
  /** Whether the local collection was seen holding cards: the empty-on-both-sides check is then skipped. */
  private volatile boolean localSeenWithCards;
  /** Whether a sync has succeeded since this runner was made (stops the /health pre-check). */
  private volatile boolean everSucceeded;

  /** A runner whose messages name the full-sync commands of a supervisor under no unit. */
  public SyncRunner(AnkiConnectClient client, PatchProbe patches, Optional<String> syncUrl, Options options,
      Clock clock) {
    this(client, patches, syncUrl, options, clock, FullSyncCommands.WITHOUT_UNIT);
  }

  public SyncRunner(AnkiConnectClient client, PatchProbe patches, Optional<String> syncUrl, Options options,
      Clock clock, FullSyncCommands commands) {
    this.client = Objects.requireNonNull(client, "client");
    this.patches = Objects.requireNonNull(patches, "patches");
    this.syncUrl = Objects.requireNonNull(syncUrl, "syncUrl").map(u -> u.endsWith("/") ? u : u + "/");
    this.options = Objects.requireNonNull(options, "options");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.commands = Objects.requireNonNull(commands, "commands");
  }

  /** Runs {@code listener} on the sync thread when a sync turns into the bootstrap's download. */
  public void onBootstrapStart(Runnable listener) {
    onBootstrapStart = Objects.requireNonNull(listener, "listener");
  }

  /** Runs one sync; never throws. */
  public SyncResult sync(SyncTrigger trigger) {
    Instant start = clock.instant();
    try {
      AddonPatches p = patches.patches();
      Optional<Classification> health = everSucceeded ? Optional.empty() : checkServerHealth();
      if (health.isPresent()) {
        return finish(trigger, health.get(), start);
      }
      Classification c = p.headlessSync() ? headlessSync() : stockSync();
      if (c.outcome() == SyncOutcome.FULL_SYNC_REQUIRED) {
        if (!p.headlessSync()) {
          LOG.warn("a full sync is needed and cannot run: {}", NO_P2_PROBLEM);
          return finish(trigger, withResolvingCommand(c), start);
        }
        return bootstrapOrRefuse(trigger, c, start);
      }
      if (c.outcome() == SyncOutcome.OK && !localSeenWithCards && c.message().startsWith(SyncClassifier.NO_CHANGES)) {
        c = waitingIfBothEmpty(c);
      }
      return finish(trigger, c, start);
    } catch (AnkiConnectException e) {
      return finish(trigger, withResolvingCommand(SyncClassifier.classify(e)), start);
    }
  }

  /** A needed full sync's message with the command that resolves it; any other classification as it is. */
  private Classification withResolvingCommand(Classification c) {
    return c.fullSyncDirection()
        .map(d -> Classification.fullSync(d, c.message() + "; " + commands.advice(d)))
        .orElse(c);
  }

  /**
   * Runs P2's {@code fullSync} in the given direction (the {@code full-sync} command). Without
   * {@code force}, P2 itself refuses to overwrite data. Never throws.
   */
  public SyncResult fullSync(FullSyncDirection direction, boolean force) {
    if (direction == FullSyncDirection.EITHER) {
      throw new IllegalArgumentException("a full sync goes one way: download or upload, found either");
    }
    Instant start = clock.instant();
    try {
      AddonPatches p = patches.patches();
      if (!p.headlessSync()) {
        return finish(SyncTrigger.MANUAL, Classification.of(SyncOutcome.UNKNOWN, NO_P2_PROBLEM), start);
      }
      if (direction == FullSyncDirection.DOWNLOAD) {
        LOG.info("full download: AnkiConnect backs up the local collection first");
      }
      client.call("fullSync", fullSyncParams(direction, force), options.fullSyncTimeout());
      return finish(SyncTrigger.MANUAL, Classification.of(SyncOutcome.OK,
          "full " + direction.statusName() + " done; " + countCollection()), start);
    } catch (AnkiConnectException e) {
      return finish(SyncTrigger.MANUAL, SyncClassifier.classify(e), start);
    }
  }

  /**
   * Empty when the server is healthy or we cannot tell (no URL, or no /health, e.g. 404). A new
   * connection each time ({@link HttpClients#forCall}), closed after the answer.
   */
  private Optional<Classification> checkServerHealth() {
    if (syncUrl.isEmpty()) {
      return Optional.empty();
    }
    String url = syncUrl.get() + "health";
    Request request = new Request.Builder().url(url).header("Connection", "close").get().build();
    try (Response r = HttpClients.forCall(url, options.healthTimeout()).newCall(request).execute()) {
      if (r.code() >= 500) {
        return Optional.of(Classification.of(SyncOutcome.SERVER_ERROR, "sync server health check " + url
            + " answered HTTP " + r.code() + "; the server is failing (a healthy one answers 200); see its log"));
      }
      return Optional.empty();
    } catch (IOException | IllegalArgumentException e) {
      return Optional.of(Classification.of(SyncOutcome.NETWORK_ERROR, "sync server unreachable: " + url
          + " did not answer (" + e.getClass().getSimpleName() + ": " + e.getMessage()
          + "); the server is down or --sync-url is wrong; start it or fix --sync-url"));
    }
  }

  private Classification headlessSync() throws AnkiConnectException {
    return SyncClassifier.classifyHeadless(client.call("headlessSync", Map.of(), options.syncCallTimeout()));
  }

  private Classification stockSync() throws AnkiConnectException {
    client.call("sync", Map.of(), options.syncCallTimeout());
    return Classification.of(SyncOutcome.OK, "synced (stock sync action)");
  }

  /**
   * A full sync is needed. Both sides without cards: waiting for a first upload. A collection that
   * holds nothing a user or an app put there: the bootstrap's download. Anything else: refused.
   */
  private SyncResult bootstrapOrRefuse(SyncTrigger trigger, Classification needed, Instant start)
      throws AnkiConnectException {
    FullSyncDirection d = needed.fullSyncDirection().orElseThrow();
    LocalContent local = LocalContent.read(client, options.probeTimeout());
    if (local.cards() > 0) {
      localSeenWithCards = true;
    }
    if (d == FullSyncDirection.EITHER && local.cards() == 0) {
      // rslib asks for a full sync "either way" only when both sides hold cards or neither does.
      return finish(trigger, waitingForFirstUpload(local), start);
    }
    if (d != FullSyncDirection.DOWNLOAD) {
      LOG.warn("full sync required ({}) and the local collection holds {}: not overwriting either side; {}",
          d.statusName(), local.describe(), commands.advice(d));
      return finish(trigger, withResolvingCommand(needed), start);
    }
    if (!local.holdsNothing()) {
      return finish(trigger, downloadRefused(local.describe()), start);
    }
    LOG.info("bootstrap: the local collection holds nothing and the server has a collection: downloading it"
        + " (the headless sync patch's fullSync, which backs the local collection up first)");
    onBootstrapStart.run();
    try {
      client.call("fullSync", fullSyncParams(FullSyncDirection.DOWNLOAD, false), options.fullSyncTimeout());
    } catch (AnkiConnectException e) {
      Classification c = SyncClassifier.classify(e);
      if (c.outcome() == SyncOutcome.FULL_SYNC_REQUIRED) {
        // P2 looked further than AnkiConnect lets us (notes, config keys an app stored): not overwritten.
        return finish(SyncTrigger.BOOTSTRAP, downloadRefused("data the headless sync patch found (a note or a config key an app"
            + " stored)"), start);
      }
      return finish(SyncTrigger.BOOTSTRAP, new Classification(c.outcome(), c.fullSyncDirection(),
          "bootstrap download failed: " + c.message()), start);
    }
    String counted = countCollection();
    LOG.info("bootstrap complete: {}", counted);
    everSucceeded = true;
    return finish(SyncTrigger.BOOTSTRAP, Classification.of(SyncOutcome.OK, "bootstrap complete: " + counted), start);
  }

  /**
   * After {@code no_changes}: a profile without cards has the server's (empty) collection, so both
   * sides are empty (a fresh install). The sync itself went well: a failed look keeps it OK.
   */
  private Classification waitingIfBothEmpty(Classification noChanges) {
    try {
      LocalContent local = LocalContent.read(client, options.probeTimeout());
      if (local.cards() == 0) {
        return waitingForFirstUpload(local);
      }
      localSeenWithCards = true;
    } catch (AnkiConnectException e) {
      LOG.debug("could not count the local cards after a sync with no changes: {}", e.getMessage());
    }
    return noChanges;
  }

  /** The server has a collection, and so has this profile: which to keep is the operator's choice. */
  private Classification downloadRefused(String localHolds) {
    // Either side may be kept: the download needs --force over what this profile holds.
    String message = "the server has a collection and this profile holds " + localHolds + ": the supervisor never"
        + " overwrites data on its own; nothing was changed (a download backs this profile's collection up first); "
        + commands.advice(FullSyncDirection.EITHER);
    LOG.warn("full sync required (download): {}", message);
    return Classification.fullSync(FullSyncDirection.DOWNLOAD, message);
  }

  private static Classification waitingForFirstUpload(LocalContent local) {
    return Classification.of(SyncOutcome.WAITING_FOR_FIRST_UPLOAD, "the sync server and this profile hold no"
        + " cards (" + local.describe() + "): waiting for a first device to upload; the first sync after that"
        + " downloads its collection (bootstrap)");
  }

  /** P2's {@code {"direction": ..., "force": ...}}, in that order (readable in logs and tests). */
  private static Map<String, Object> fullSyncParams(FullSyncDirection direction, boolean force) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("direction", direction.statusName());
    params.put("force", force);
    return params;
  }

  /** "N decks, M cards". */
  private String countCollection() throws AnkiConnectException {
    LocalContent c = LocalContent.read(client, options.probeTimeout());
    return c.decks().size() + " decks, " + c.cards() + " cards";
  }

  private SyncResult finish(SyncTrigger trigger, Classification c, Instant start) {
    if (c.outcome().isSuccess()) {
      everSucceeded = true;
    }
    return SyncResult.of(trigger, c, start, clock.instant());
  }
}
