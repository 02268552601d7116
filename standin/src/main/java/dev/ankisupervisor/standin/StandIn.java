package dev.ankisupervisor.standin;

import java.util.Arrays;

/**
 * Entry point of the stand-in: {@code stand-in anki ARGS...} plays Anki + AnkiConnect,
 * {@code stand-in sync-server} plays the Anki sync server (docs/anki-behaviour.md, S1-S3),
 * {@code stand-in webview-check} says whether the real QtWebEngine view (ANKI_STANDIN_REAL_QT) can run.
 * Imports nothing from the supervisor, and the supervisor imports nothing from here: the
 * supervisor starts it only as a separate process, by class name.
 */
public final class StandIn {
  private StandIn() {}

  public static void main(String[] args) throws Exception {
    String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
    String which = args.length == 0 ? "" : args[0];
    switch (which) {
      case "anki" -> dev.ankisupervisor.standin.anki.StandInAnki.main(rest);
      case "sync-server" -> dev.ankisupervisor.standin.syncserver.StandInSyncServer.main(rest);
      case "webview-check" -> System.exit(dev.ankisupervisor.standin.anki.RealWebView.check(System.getenv()));
      default -> {
        System.err.println("usage: stand-in anki [ANKI ARGS...] | stand-in sync-server | stand-in webview-check");
        System.exit(64);
      }
    }
  }
}
