package dev.ankisupervisor.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * One way of running the stand-in Anki in the bench: bare (no supervisor), under our supervisor,
 * or under supervisord. Each is started, asked for pids and stopped the same way, so the driver
 * measures them with the same code.
 *
 * <p>Threading: one driver thread per side.
 */
public interface Side extends AutoCloseable {
  /** Short name for tables: "bare", "ours", "supervisord". */
  String name();

  /** Starts the process tree (the supervisor, or the bare stand-in). */
  void start() throws IOException;

  /** The running stand-in Anki's pid, if one runs now. */
  OptionalLong ankiPid();

  /** The supervisor's own pid (empty for the bare side). */
  OptionalLong supervisorPid();

  /** SIGTERM to the top process and waits for it to end (then kills whatever is left). */
  void stop(Duration atMost) throws InterruptedException;

  @Override
  default void close() throws InterruptedException {
    stop(Duration.ofSeconds(30));
  }
}
