package dev.ankisupervisor.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ankisupervisor.ankiconnect.AddonPatches;
import dev.ankisupervisor.ankiconnect.AnkiConnectClient;
import dev.ankisupervisor.ankiconnect.AnkiConnectError;
import dev.ankisupervisor.ankiconnect.AnkiConnectException;
import dev.ankisupervisor.ankiconnect.Patch;
import dev.ankisupervisor.ankiconnect.PatchProbe;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The post-deploy check ({@code anki-supervisor check}): steps a to g against a running
 * AnkiConnect and the supervisor's status file. When step a fails (nothing answers, or the API key is
 * refused) steps b to f are skipped, since they cannot be judged; step g reads only the file.
 * Each {@link #run()} is independent; calls block (one AnkiConnect call at a time, A3), so call it
 * from one thread.
 */
public final class DeployCheck {
  private final AnkiConnectClient client;
  private final CheckOptions options;
  private final Clock clock;
  private final Supplier<String> uniqueSuffix;

  public DeployCheck(AnkiConnectClient client, CheckOptions options, Clock clock) {
    this(client, options, clock, () -> UUID.randomUUID().toString());
  }

  DeployCheck(AnkiConnectClient client, CheckOptions options, Clock clock, Supplier<String> uniqueSuffix) {
    this.client = client;
    this.options = options;
    this.clock = clock;
    this.uniqueSuffix = uniqueSuffix;
  }

  /** Runs every step in order and returns all results. */
  public CheckReport run() {
    List<StepResult> results = new ArrayList<>();
    StepResult version = version();
    results.add(version);
    if (version.isFailure()) {
      String why = "AnkiConnect did not answer step a";
      for (CheckStep s : EnumSet.range(CheckStep.CONFIG_ABSENT, CheckStep.PATCHES)) {
        results.add(StepResult.skip(s, why));
      }
    } else {
      results.addAll(new ConfigApiSteps(client, options, uniqueSuffix).run());
      results.add(collection());
      results.add(patches());
    }
    results.add(new SyncFreshness(options.statusFile(), clock).check());
    return new CheckReport(results);
  }

  private StepResult version() {
    String url = client.endpoint().url();
    try {
      JsonNode v = client.call("version", options.callTimeout());
      return StepResult.pass(CheckStep.VERSION, "AnkiConnect at " + url + " answers, API version " + v);
    } catch (AnkiConnectException e) {
      String fix = switch (e.kind()) {
        case UNREACHABLE -> "; is the supervisor running, and is --url right?";
        case TIMEOUT -> "; AnkiConnect is busy or hung (a slow action, such as a sync, blocks all others); retry or raise --timeout";
        case ACTION_ERROR -> AnkiConnectError.INVALID_API_KEY.isIn(e)
            ? ": the key sent differs from the add-on's apiKey; pass --api-key-file with it, or none when apiKey is null"
            : "";
        case HTTP_STATUS -> "; a 403 means a disallowed Origin (the add-on's webCorsOriginList)";
        case BAD_REPLY -> "; is --url really AnkiConnect?";
      };
      return StepResult.fail(CheckStep.VERSION, "version at " + url + " failed: " + e.errorText() + fix);
    }
  }

  private StepResult collection() {
    try {
      JsonNode decks = client.call("deckNames", options.callTimeout());
      return StepResult.pass(CheckStep.COLLECTION, "deckNames works, a collection is open (decks: " + decks.size() + ")");
    } catch (AnkiConnectException e) {
      String fix = AnkiConnectError.COLLECTION_NOT_AVAILABLE.isIn(e)
          ? ": no profile is open; Anki may show the profile chooser (two profiles, none named by -p) "
              + "or could not open the collection (locked by another process); see the journal and `anki-supervisor doctor`"
          : "";
      return StepResult.fail(CheckStep.COLLECTION, "deckNames failed: " + e.errorText() + fix);
    }
  }

  private StepResult patches() {
    try {
      Set<Patch> missing = PatchProbe.ask(client, options.callTimeout()).missing(EnumSet.allOf(Patch.class));
      if (missing.isEmpty()) {
        return StepResult.pass(CheckStep.PATCHES, "apiReflect lists getConfig, setConfig, headlessSync, fullSync: the config API and headless sync patches are live");
      }
      return StepResult.fail(CheckStep.PATCHES, "apiReflect lacks the actions of "
          + missing.stream().map(p -> p.describe() + " " + p.actions().stream().sorted().toList()).collect(Collectors.joining(" and "))
          + "; apply the missing patch to the add-on (patches/README.md)");
    } catch (AnkiConnectException e) {
      return StepResult.fail(CheckStep.PATCHES, "apiReflect failed: " + e.errorText());
    }
  }
}
