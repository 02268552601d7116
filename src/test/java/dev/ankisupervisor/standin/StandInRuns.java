package dev.ankisupervisor.standin;

import dev.ankisupervisor.testing.AddonDir;
import dev.ankisupervisor.testing.FreePort;
import dev.ankisupervisor.testing.Prefs;
import dev.ankisupervisor.testing.StandInAnkiProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shared set-up for the stand-in Anki ITs: a temp base folder, a free AnkiConnect port, and
 * every started process killed (with its process group) after each test.
 */
abstract class StandInRuns {
  /** Generous: the build machine is shared and slow under load. */
  static final Duration WAIT = Duration.ofSeconds(40);
  @TempDir Path base;
  final int port = FreePort.find();
  private final List<StandInAnkiProcess> started = new ArrayList<>();

  @AfterEach
  void killEverything() {
    started.forEach(StandInAnkiProcess::close);
  }

  /** A base seeded like the supervisor would: one profile, AnkiConnect on {@link #port}. */
  StandInAnkiProcess.Builder seeded(String profile) throws Exception {
    Prefs.seed(profile).write(base);
    AddonDir.write(base, port);
    return StandInAnkiProcess.builder(base).port(port);
  }

  StandInAnkiProcess start(StandInAnkiProcess.Builder b) throws Exception {
    StandInAnkiProcess p = b.start();
    started.add(p);
    return p;
  }

  /** Whether anything accepts TCP connections on {@link #port} right now. */
  boolean portOpen() {
    try (java.net.Socket s = new java.net.Socket()) {
      s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
