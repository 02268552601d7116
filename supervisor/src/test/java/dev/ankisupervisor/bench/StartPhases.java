package dev.ankisupervisor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the time from start to Anki's spawn went in one start of ours, read from the supervisor's
 * log (plain format: each line begins with its ISO timestamp, ms): launcher and JVM start (the
 * bench's start -> {@code main}), options ({@code main} -> {@code run}; both from the
 * {@code start-up timing} line), prepare ({@code run} -> the base folder's {@code prepared} line;
 * this includes Logback's start, the network wait and the stale-holder check) and spawn
 * ({@code prepared} -> {@code started pid}).
 *
 * @param ms the four phases in ms
 */
record StartPhases(double[] ms) {
  private static final Pattern TIMING =
      Pattern.compile("start-up timing: process start -> main (\\d+) ms, main -> run (\\d+) ms");
  static final String[] NAMES = {"launcher + JVM start -> main", "options (main -> run)",
      "prepare (run -> base folder prepared)", "spawn (prepared -> Anki started)"};

  /** The phases of the last start in {@code log}, which began at {@code startedAtMs} (wall clock). */
  static Optional<StartPhases> of(Path log, long startedAtMs) throws IOException {
    List<String> lines = Files.readAllLines(log);
    int from = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (TIMING.matcher(lines.get(i)).find()) {
        from = i;
      }
    }
    if (from < 0) {
      return Optional.empty();
    }
    Matcher m = TIMING.matcher(lines.get(from));
    m.find();
    long runAt = at(lines.get(from));
    long mainAt = runAt - Long.parseLong(m.group(2));
    long prepared = -1;
    long started = -1;
    for (String l : lines.subList(from, lines.size())) {
      if (prepared < 0 && l.contains("BasePreparer: prepared")) {
        prepared = at(l);
      } else if (prepared >= 0 && started < 0 && l.contains("AnkiLauncher: started pid")) {
        started = at(l);
      }
    }
    if (prepared < 0 || started < 0) {
      return Optional.empty();
    }
    return Optional.of(new StartPhases(new double[] {mainAt - startedAtMs, runAt - mainAt, prepared - runAt,
        started - prepared}));
  }

  private static long at(String line) {
    return OffsetDateTime.parse(line.substring(0, line.indexOf(' '))).toInstant().toEpochMilli();
  }

  void addTo(Stats[] stats) {
    for (int i = 0; i < ms.length; i++) {
      stats[i].add(ms[i]);
    }
  }

  static void print(Stats[] stats) {
    System.out.println("ours, start -> spawn by phase (medians, ms; from the supervisor's log):");
    for (int i = 0; i < NAMES.length; i++) {
      System.out.printf(Locale.ROOT, "  %-40s %6.0f %s%n", NAMES[i], stats[i].median(), stats[i]);
    }
  }

  @Override
  public String toString() {
    return "StartPhases" + java.util.Arrays.toString(ms) + " at " + Instant.now();
  }
}
