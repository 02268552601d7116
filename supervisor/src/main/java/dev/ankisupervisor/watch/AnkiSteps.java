package dev.ankisupervisor.watch;

import dev.ankisupervisor.ankiconnect.AnkiConnectEndpoint;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The blocking steps the supervisor asks of the outside world before and for each launch (bind
 * address, stale holders, base folder, launch). The real one ({@link RealAnkiSteps}) calls {@code prepare} and {@code launch}; unit
 * tests use a fake.
 *
 * <p>Threading: {@link #awaitAddress}, {@link #currentAddress}, {@link #prepare}, {@link #lookAhead} and
 * {@link #probe} block and are called from the supervisor's I/O thread only; {@link #launch} is quick (spawns) and is
 * called from the supervisor thread.
 */
interface AnkiSteps {
  /** Waits for the bind address; progress lines go to {@code progress}. */
  InetAddress awaitAddress(Duration timeout, Consumer<String> progress) throws Exception;

  /** The bind address now, if there is one: for "address changed?" checks. */
  Optional<InetAddress> currentAddress();

  /** Clears stale holders and prepares the base folder (prefs, GL driver, add-on config) for {@code bind}. */
  void prepare(InetAddress bind) throws Exception;

  /**
   * Read-only looks a relaunch will need, made on the I/O thread as soon as a launched Anki's exit is
   * seen, while the supervisor thread handles that exit; {@link #prepare} uses them when it follows at
   * once. Never throws: a look that fails is simply made again by {@code prepare}.
   */
  default void lookAhead() {}

  /** Launches Anki offscreen and records it in the pidfile. */
  AnkiProcess launch(InetAddress bind) throws Exception;

  /** Calls AnkiConnect's {@code action} at {@code bind} with {@code timeout} (A4). */
  ProbeResult probe(InetAddress bind, String action, Duration timeout);

  /** Where AnkiConnect answers (URL and API key) for {@code bind}. */
  AnkiConnectEndpoint endpointFor(InetAddress bind);

  /** Forgets the pidfile after a clean stop. */
  void forgetPid();
}
