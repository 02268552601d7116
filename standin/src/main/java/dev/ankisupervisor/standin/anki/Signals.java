package dev.ankisupervisor.standin.anki;

import java.util.concurrent.BlockingQueue;
import sun.misc.Signal;

/**
 * Anki's {@code setupSignals} (C6): SIGINT and SIGTERM handlers that exist only once the main
 * window is built. Before {@link #install}, the JVM's default applies and SIGTERM ends the process
 * at once (exit 143, nothing closed). The handlers only post the signal's name to the main
 * thread's queue, which decides (close, or nothing while no collection is open).
 */
final class Signals {
  private Signals() {}

  static void install(BlockingQueue<String> mainQueue) {
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), sig -> mainQueue.offer("SIG" + sig.getName()));
    }
  }
}
