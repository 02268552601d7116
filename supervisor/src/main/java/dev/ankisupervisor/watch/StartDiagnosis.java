package dev.ankisupervisor.watch;

import dev.ankisupervisor.model.HumanDuration;
import java.time.Duration;

/**
 * Says in one line what a start that timed out is stuck on, from the last
 * readiness probe: no port means a modal dialog before add-ons loaded; a port without a collection
 * means the profile chooser or a locked collection (C3, C7).
 *
 * <p>Threading: pure; any thread.
 */
final class StartDiagnosis {
  private StartDiagnosis() {}

  static String explain(ProbeResult last, Duration startTimeout, String url, String profile) {
    String head = "Anki did not become ready within " + HumanDuration.of(startTimeout);
    return switch (last.kind()) {
      case NO_PORT -> head + ": nothing answers at " + url + ", so AnkiConnect never started its server; a modal"
          + " dialog shown before add-ons load is the usual cause (language dialog: prefs21.db missing or unreadable;"
          + " \"Startup Error\": no defaultLang; an import dialog: an extra argument on Anki's command line; or"
          + " AnkiConnect could not bind its address/port); check Anki's log lines above, run `anki-supervisor"
          + " prepare` and look at --bind/--connect-port; restarting";
      case NO_COLLECTION -> head + ": AnkiConnect answers at " + url + " but \"collection is not available\", so no"
          + " profile is open: the profile chooser is showing (profile '" + profile + "' does not exist, names"
          + " differ in case, or several profiles and none chosen) or the collection is locked by another process"
          + " (Anki cannot open a locked collection); check --profile and who holds collection.anki2; restarting";
      case TIMEOUT -> head + ": AnkiConnect at " + url + " accepts connections but does not reply (its GUI thread is"
          + " blocked: it serves one request at a time); restarting";
      case ERROR -> head + ": AnkiConnect at " + url + " answers with an error: " + last.detail()
          + "; check --api-key-file and the add-on's settings; restarting";
      case OK -> head + " (the last probe answered; timing race); restarting";
    };
  }
}
