package dev.ankisupervisor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A reader of sync-status.json that runs beside the supervisor the whole time: it stats the file
 * every {@code pollMs} and, whenever the file changed, reads and parses it. It counts reads that
 * fail to parse (a partial file: must never happen, the file is replaced atomically), records each
 * distinct sync attempt and success, and the wall-clock moment each newly finished sync first
 * became visible to a reader.
 *
 * <p>Threading: one thread of its own ({@link #start}); the getters are safe from any thread.
 */
public final class StatusFileWatch implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One finished sync as a reader first saw it. */
  public record SyncSeen(Instant attemptAt, Instant finishedAt, Instant visibleAt, Instant fileMtime, String state) {}

  private final Path file;
  private final long pollMs;
  /** Parse on every poll, not only when the mtime changed (the fault run's continuous reader). */
  private final boolean everyPoll;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong reads = new AtomicLong();
  private final AtomicLong parseFailures = new AtomicLong();
  private final List<String> failureSamples = new ArrayList<>();
  private final Set<String> attempts = new LinkedHashSet<>();
  private final Set<String> successes = new LinkedHashSet<>();
  private final List<SyncSeen> finished = new ArrayList<>();
  private Thread thread;

  public StatusFileWatch(Path file, long pollMs) {
    this(file, pollMs, false);
  }

  public StatusFileWatch(Path file, long pollMs, boolean everyPoll) {
    this.file = file;
    this.pollMs = pollMs;
    this.everyPoll = everyPoll;
  }

  public StatusFileWatch start() {
    thread = new Thread(this::loop, "status-file-watch");
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  private void loop() {
    FileTime lastMtime = null;
    String lastFinished = null;
    while (running.get()) {
      try {
        FileTime mtime = Files.getLastModifiedTime(file);
        if (everyPoll || !mtime.equals(lastMtime)) {
          lastMtime = mtime;
          JsonNode doc = parse();
          if (doc != null) {
            JsonNode sync = doc.path("sync");
            String attempt = text(sync.path("lastAttemptAt"));
            String fin = text(sync.path("lastFinishedAt"));
            String success = text(sync.path("lastSuccessAt"));
            synchronized (this) {
              // One per finished attempt: lastAttemptAt is written twice per sync (the loop's start
              // time while in flight, the runner's start time when finished), lastFinishedAt once.
              if (fin != null) {
                attempts.add(fin);
              }
              if (success != null) {
                successes.add(success);
              }
              if (fin != null && !fin.equals(lastFinished)) {
                lastFinished = fin;
                finished.add(new SyncSeen(attempt == null ? null : Instant.parse(attempt), Instant.parse(fin),
                    Instant.now(), mtime.toInstant(), text(sync.path("state"))));
              }
            }
          }
        }
      } catch (NoSuchFileException e) {
        // not written yet
      } catch (IOException | RuntimeException e) {
        failed(e.toString());
      }
      sleep();
    }
  }

  private JsonNode parse() {
    reads.incrementAndGet();
    try {
      JsonNode doc = JSON.readTree(Files.readAllBytes(file));
      if (doc == null || !doc.path("schema").isInt() || !doc.has("sync") || !doc.has("supervisor")) {
        failed("not a whole status document: " + doc);
        return null;
      }
      return doc;
    } catch (NoSuchFileException e) {
      failed("missing between stat and read (the file must always exist once written)");
      return null;
    } catch (IOException e) {
      failed(e.toString());
      return null;
    }
  }

  private synchronized void failed(String what) {
    parseFailures.incrementAndGet();
    if (failureSamples.size() < 5) {
      failureSamples.add(what);
    }
  }

  private static String text(JsonNode n) {
    return n == null || n.isNull() || n.isMissingNode() ? null : n.asText();
  }

  private void sleep() {
    try {
      Thread.sleep(pollMs);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running.set(false);
    }
  }

  public long reads() {
    return reads.get();
  }

  public long parseFailures() {
    return parseFailures.get();
  }

  public synchronized List<String> failureSamples() {
    return List.copyOf(failureSamples);
  }

  /** Distinct finished sync attempts seen (by lastFinishedAt). */
  public synchronized int attempts() {
    return attempts.size();
  }

  /** Distinct successful syncs seen (by lastSuccessAt). */
  public synchronized int successes() {
    return successes.size();
  }

  /** The newest lastSuccessAt seen, if any. */
  public synchronized Instant lastSuccess() {
    Instant best = null;
    for (String s : successes) {
      Instant i = Instant.parse(s);
      if (best == null || i.isAfter(best)) {
        best = i;
      }
    }
    return best;
  }

  public synchronized List<SyncSeen> finished() {
    return List.copyOf(finished);
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    if (thread != null) {
      thread.join(5000);
    }
  }
}
