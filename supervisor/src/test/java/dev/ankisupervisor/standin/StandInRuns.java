package dev.ankisupervisor.standin;

import static org.awaitility.Awaitility.await;

import dev.ankisupervisor.testing.AddonDir;
import dev.ankisupervisor.testing.FreePort;
import dev.ankisupervisor.testing.Prefs;
import dev.ankisupervisor.testing.StandInAnkiProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
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

  /** A TMPDIR for the stand-ins of this test, where their single-instance socket lives (C5). */
  Path tmpDir() throws IOException {
    return Files.createDirectories(base.resolve("tmp"));
  }

  /** The single-instance socket a stand-in of this user makes in {@code tmp}: {@code anki<sha1(user)>} (C5). */
  static Path singleInstanceSocket(Path tmp) throws NoSuchAlgorithmException {
    byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(System.getProperty("user.name").getBytes(StandardCharsets.UTF_8));
    return tmp.resolve("anki" + HexFormat.of().formatHex(sha1));
  }

  /**
   * Waits until a stand-in started with TMPDIR {@code tmp} holds its single-instance socket (C5):
   * it has then read prefs21.db and passed Qt's display check, and a dialog or the main window
   * comes next.
   */
  static void awaitSingleInstanceSocket(Path tmp) throws NoSuchAlgorithmException {
    Path socket = singleInstanceSocket(tmp);
    await().atMost(WAIT).alias("single-instance socket " + socket).until(() -> Files.exists(socket));
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
