package dev.ankisupervisor.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ankisupervisor.ankiconnect.AnkiConnectError;
import dev.ankisupervisor.ankiconnect.AnkiConnectException;
import dev.ankisupervisor.model.FullSyncDirection;
import dev.ankisupervisor.model.SyncOutcome;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps what a sync call produced (an {@link AnkiConnectException}, or P2's {@code headlessSync}
 * result) to a {@link Classification}. Pure and stateless; any thread.
 *
 * <p>The texts are Anki's own (A4, from its ftl files) and AnkiConnect's (A2); matching is by
 * prefix so the "Please try again..." tails may change without breaking us.
 */
public final class SyncClassifier {
  /** A4: the stock {@code sync} action's error when a full sync is needed. */
  private static final Pattern SYNC_STATUS = Pattern.compile("Sync status (\\d+) not one of \\[0, 1\\]");

  private record Rule(String prefix, SyncOutcome outcome, String advice) {}

  /** Error text prefixes, in order; the first match wins. */
  private static final List<Rule> RULES = List.of(
      new Rule("sync: auth not configured", SyncOutcome.AUTH_MISSING,
          "the profile has no sync key; set --sync-user and --sync-password-file and restart"),
      new Rule("Email or password was incorrect", SyncOutcome.AUTH_FAILED,
          "the server refused the sync key, sha1 of --sync-user:password, written into the profile at each start from"
              + " --sync-password-file: the server's SYNC_USER has another user or password, or the key is stale (the"
              + " password was changed after this start: restart to write the new key)"),
      new Rule("Please check your internet connection", SyncOutcome.NETWORK_ERROR,
          "the sync server could not be reached; check it runs and --sync-url"),
      new Rule("Connection timed out", SyncOutcome.TIMEOUT,
          "the sync server stopped answering within Anki's network timeout; it will be retried"),
      new Rule("AnkiWeb encountered a problem", SyncOutcome.SERVER_ERROR,
          "the sync server failed (5xx); see its log; it will be retried"),
      // what real Anki 25.09.2 says for a refused connection and an unknown host alike (A4)
      new Rule("A network error occurred", SyncOutcome.NETWORK_ERROR,
          "the sync server could not be reached; check it runs and --sync-url"),
      new Rule("Only one copy of Anki can sync", SyncOutcome.CONFLICT,
          "another client was syncing the same account; it will be retried"),
      new Rule(AnkiConnectError.COLLECTION_NOT_AVAILABLE.text(), SyncOutcome.ANKI_UNAVAILABLE,
          "Anki has no profile open; the supervisor waits for readiness"),
      new Rule(AnkiConnectError.INVALID_API_KEY.text(), SyncOutcome.ANKI_UNAVAILABLE,
          "AnkiConnect refused our API key; check --api-key-file matches AnkiConnect's apiKey"),
      new Rule(AnkiConnectError.FULL_SYNC_WOULD_OVERWRITE.text(), SyncOutcome.FULL_SYNC_REQUIRED,
          "both sides hold data and the headless sync patch will not overwrite either; choose a side with --force"));

  /** The message of a {@code no_changes} sync (the runner then checks for a collection without cards). */
  static final String NO_CHANGES = "no changes";

  private SyncClassifier() {}

  /** Classifies a failed AnkiConnect call (the stock {@code sync}, P2's actions, or a probe). */
  public static Classification classify(AnkiConnectException e) {
    String text = e.errorText() == null ? "" : e.errorText();
    return switch (e.kind()) {
      case ACTION_ERROR -> classifyText(text);
      case TIMEOUT -> Classification.of(SyncOutcome.TIMEOUT,
          text + "; Anki did not finish the sync within the call timeout (network timeout plus margin); it will be retried");
      case UNREACHABLE, HTTP_STATUS -> Classification.of(SyncOutcome.ANKI_UNAVAILABLE,
          text + "; AnkiConnect did not serve the sync; the supervisor restarts Anki if it stays down");
      case BAD_REPLY -> Classification.of(SyncOutcome.UNKNOWN, text);
    };
  }

  /** Classifies one error text from Anki or AnkiConnect. */
  public static Classification classifyText(String rawText) {
    // A network error's text is "<summary>\n\nError details: <info>" (rslib NetworkError::message);
    // the status file and the log want one line.
    // Anki's translations wrap the details in Unicode isolation marks (U+2068 ... U+2069): invisible, dropped.
    String text = rawText.replace("\u2068", "").replace("\u2069", "").strip().replaceAll("\\s*\\R+\\s*", " ");
    Matcher m = SYNC_STATUS.matcher(text);
    if (m.find()) {
      int n = Integer.parseInt(m.group(1));
      return fullSyncDirectionOf(n)
          .map(d -> fullSyncRequired(d, text))
          .orElseGet(() -> Classification.of(SyncOutcome.UNKNOWN, text));
    }
    for (Rule rule : RULES) {
      if (text.startsWith(rule.prefix())) {
        if (rule.outcome() == SyncOutcome.FULL_SYNC_REQUIRED) {
          return Classification.fullSync(FullSyncDirection.EITHER, text + " (" + rule.advice() + ")");
        }
        return Classification.of(rule.outcome(), text + " (" + rule.advice() + ")");
      }
    }
    return Classification.of(SyncOutcome.UNKNOWN, text);
  }

  /**
   * Classifies P2's {@code headlessSync} result {@code {"required": ..., "serverMessage": ...}}.
   * {@code no_changes} and {@code normal_sync} are success; the three full kinds name a direction.
   */
  public static Classification classifyHeadless(JsonNode result) {
    String required = result == null || !result.hasNonNull("required") ? "" : result.get("required").asText();
    String serverMessage = result == null || !result.hasNonNull("serverMessage") ? "" : result.get("serverMessage").asText();
    String suffix = serverMessage.isBlank() ? "" : "; server says: " + serverMessage;
    return switch (required) {
      case "no_changes" -> Classification.of(SyncOutcome.OK, NO_CHANGES + suffix);
      case "normal_sync" -> Classification.of(SyncOutcome.OK, "synced" + suffix);
      case "full_sync" -> fullSyncRequired(FullSyncDirection.EITHER, "headlessSync: full_sync" + suffix);
      case "full_download" -> fullSyncRequired(FullSyncDirection.DOWNLOAD, "headlessSync: full_download" + suffix);
      case "full_upload" -> fullSyncRequired(FullSyncDirection.UPLOAD, "headlessSync: full_upload" + suffix);
      default -> Classification.of(SyncOutcome.UNKNOWN,
          "headlessSync returned an unexpected result " + result + " (the headless sync patch says required is one of"
              + " no_changes, normal_sync, full_sync, full_download, full_upload); check the patch version");
    };
  }

  /** From A4's {@code Sync status N not one of [0, 1]}: 2 either, 3 download, 4 upload. */
  static Optional<FullSyncDirection> fullSyncDirectionOf(int syncStatus) {
    return switch (syncStatus) {
      case 2 -> Optional.of(FullSyncDirection.EITHER);
      case 3 -> Optional.of(FullSyncDirection.DOWNLOAD);
      case 4 -> Optional.of(FullSyncDirection.UPLOAD);
      default -> Optional.empty();
    };
  }

  /** The command that resolves it depends on the deployment: the runner adds it ({@link FullSyncCommands}). */
  private static Classification fullSyncRequired(FullSyncDirection d, String text) {
    return Classification.fullSync(d, text + " (a full sync (" + d.statusName()
        + ") is needed and the supervisor never overwrites data on its own)");
  }
}
