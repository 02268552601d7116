package dev.ankisupervisor.standin.anki;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;

/**
 * Anki's add-on load as far as AnkiConnect goes (A1, A3): when {@code addons21/2055492159} exists
 * and is not disabled, read its settings, bind the web server, and serve. A bind failure leaves
 * the GUI in AnkiConnect's "Failed to listen on port" dialog. Main thread only.
 */
final class AddOns {
  private AddOns() {}

  /** Loads AnkiConnect; returns the dialog the GUI is left in, or null. */
  static Dialog load(MainWindow window, Map<String, String> env, FaultKnobs knobs) {
    if (!AddonSettings.isInstalled(window.base())) {
      Console.diag("no AnkiConnect: " + AddonSettings.folder(window.base()) + " missing or disabled (A1)");
      return null;
    }
    ObjectNode config = AddonSettings.read(window.base());
    if (config == null) {
      Console.ankiErr("Traceback (most recent call last):");
      Console.ankiErr("  File \"2055492159/util.py\", line 87, in setting");
      Console.ankiErr("Exception: setting webBindAddress not found");
      Console.diag("AnkiConnect failed to load: config.json missing or not a JSON object in "
          + AddonSettings.folder(window.base()) + " (A1)");
      return null;
    }
    AnkiConnectServer server;
    try {
      server = AnkiConnectServer.bind(window.base(), config);
    } catch (IOException | ActionError e) {
      Console.diag("AnkiConnect bind " + config.path("webBindAddress") + ":" + config.path("webBindPort")
          + " failed: " + e.getMessage() + " (A3)");
      return Dialog.FAILED_TO_LISTEN;
    }
    Long hangAt = knobs.apiHangAfter() == null ? null : StandInAnki.START_NANOS + knobs.apiHangAfter().toNanos();
    server.start(new RequestHandler(Actions.build(), new StandInContext(window, env)), window, hangAt);
    Console.diag("AnkiConnect listening on " + config.path("webBindAddress").asText("127.0.0.1") + ":" + server.port());
    return null;
  }
}
