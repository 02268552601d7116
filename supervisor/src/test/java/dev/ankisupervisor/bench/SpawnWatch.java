package dev.ankisupervisor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * Notes the moment a supervisor's new stand-in child appears: polls, every millisecond, the
 * children of every thread of the supervisor process (/proc/PID/task/TID/children: a JVM forks
 * from whichever thread launches) for one whose command line runs the stand-in and is not
 * {@code except}. This times the supervisor's own work (start or restart -> Anki spawned) without
 * the stand-in's noisy JVM start.
 *
 * <p>Threading: one thread of its own; {@link #spawnedAtNanos} from any thread.
 */
final class SpawnWatch implements AutoCloseable {
  private final AtomicLong spawnedAt = new AtomicLong(-1);
  private final Thread thread;
  private volatile boolean running = true;

  SpawnWatch(LongSupplier supervisorPid, long except) {
    thread = new Thread(() -> {
      while (running && spawnedAt.get() < 0) {
        long sup = supervisorPid.getAsLong();
        if (sup > 0 && find(sup, except).isPresent()) {
          spawnedAt.set(System.nanoTime());
          return;
        }
        try {
          Thread.sleep(1);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "spawn-watch");
    thread.setDaemon(true);
    thread.start();
  }

  /** System.nanoTime() when the child was first seen, or -1. */
  long spawnedAtNanos() {
    return spawnedAt.get();
  }

  private static OptionalLong find(long sup, long except) {
    try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(sup), "task"))) {
      for (Path t : tasks.toList()) {
        String children;
        try {
          children = Files.readString(t.resolve("children")).trim();
        } catch (IOException e) {
          continue;
        }
        if (children.isEmpty()) {
          continue;
        }
        for (String c : children.split("\\s+")) {
          long pid = Long.parseLong(c);
          // "-b" right after: the stand-in (or the real Anki's bin/anki script) itself, not a subshell
          // of the launcher script (a fork of `sh launcher/anki-supervisor run ... --anki-command
          // '... StandIn anki' --status-file ...`).
          String cmd = ProcStat.cmdline(pid);
          if (pid != except && (cmd.contains("StandIn anki -b ") || cmd.contains("bin/anki -b "))) {
            return OptionalLong.of(pid);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // not there yet, or gone
    }
    return OptionalLong.empty();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(1000);
  }
}
