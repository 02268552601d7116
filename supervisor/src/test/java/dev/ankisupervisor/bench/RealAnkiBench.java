package dev.ankisupervisor.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * {@code bench/run.sh --real-anki}: the figures with the real Anki 25.09.2, the real AnkiConnect
 * with our patches and the official sync server (see {@link RealAnki} for where they come from).
 *
 * <ol>
 *   <li>start -> ready: real Anki started bare ({@link RealBareSide}) against the same Anki under
 *       {@code anki-supervisor run} (defaults, through the launcher), interleaved, rotating order;
 *       the difference of the medians is the supervisor's own cost;</li>
 *   <li>SIGKILL of Anki -> a new Anki ready, under ours (the bare start is the baseline);</li>
 *   <li>a soak: ours supervising real Anki with a sync every {@code --sync-interval} (10 s) against
 *       the sync server and a note added through AnkiConnect every 30 s (so the syncs carry data),
 *       sampling every 5 s the supervisor's VmRSS and Anki's whole process group (QtWebEngine's
 *       helpers included: RSS summed, and PSS summed). Samples go to {@code real-soak.csv}.</li>
 * </ol>
 * Ready is the supervisor's rule ({@code deckNames} answers), polled by the driver every 10 ms for
 * both sides, as a shell loop around curl would.
 *
 * <p>Threading: the driver thread (plus the status-file watcher).
 */
final class RealAnkiBench {
  private static final Duration SAMPLE_EVERY = Duration.ofSeconds(5);
  private static final Duration NOTE_EVERY = Duration.ofSeconds(30);

  private final BenchOptions o;
  private final Path dir;
  private final RealAnki anki;
  private final List<String> table = new ArrayList<>();

  RealAnkiBench(BenchOptions o, Path dir) {
    this.o = o;
    this.dir = dir;
    this.anki = RealAnki.fromEnvironment();
  }

  void run() throws Exception {
    System.out.println("real Anki: " + anki.venv() + "; AnkiConnect from " + anki.ankiConnectSrc() + " + patches/");
    try (RealSyncServer server = new RealSyncServer(anki, dir.resolve("sync-server"), Bench.freePort())) {
      server.start();
      StandInBase.SyncLogin login = server.login();
      startFigures(login);
      if (!o.soak().isZero()) {
        soak(login);
      }
    }
    System.out.println();
    System.out.println("| figure | ours | anchor | ratio | target | note |");
    System.out.println("|---|---|---|---|---|---|");
    table.forEach(System.out::println);
    System.out.println();
  }

  private OurSide ours(StandInBase base, String log) {
    OurSide side = new OurSide(base, base.dir().resolve(log));
    List<String> f = RealAnkiBase.runFlags(anki);
    side.flag(f.get(0), f.get(1)).flag(f.get(2), f.get(3));
    return side;
  }

  private void startFigures(StandInBase.SyncLogin login) throws Exception {
    StandInBase bareBase = RealAnkiBase.create(anki, dir.resolve("bare"), Bench.freePort(), login);
    StandInBase oursBase = RealAnkiBase.create(anki, dir.resolve("ours"), Bench.freePort(), login);
    // The launcher's archive of `run`: made by a first start that saw Anki ready, placed by the second.
    for (int i = 0; i < 2; i++) {
      try (OurSide side = ours(oursBase, "warm-up.log").flag("--no-sync-on-start", "")) {
        StartMeasure.coldStartMs(side, oursBase.port());
        Bench.awaitSupervisorReady(oursBase);
      }
    }
    // An untimed bare start too: Anki's first open of a profile creates the collection.
    try (RealBareSide side = new RealBareSide(anki, bareBase)) {
      StartMeasure.coldStartMs(side, bareBase.port());
    }
    Stats bare = new Stats();
    Stats cold = new Stats();
    Stats restart = new Stats();
    Stats coldSpawn = new Stats();
    Stats restartSpawn = new Stats();
    for (int r = 0; r < o.runs(); r++) {
      for (int k = 0; k < 2; k++) {
        if ((r + k) % 2 == 0) {
          try (RealBareSide side = new RealBareSide(anki, bareBase)) {
            bare.add(StartMeasure.coldStartMs(side, bareBase.port()));
          }
        } else {
          // The syncs at start would compete with the measured restart; the soak has them.
          try (OurSide side = ours(oursBase, "run.log").flag("--no-sync-on-start", "").flag("--sync-interval", "1h")) {
            StartMeasure.Timing c = StartMeasure.coldStart(side, oursBase.port());
            cold.add(c.readyMs());
            coldSpawn.add(c.spawnMs());
            Bench.awaitSupervisorReady(oursBase);
            StartMeasure.Timing t = StartMeasure.restart(side, oursBase.port());
            restart.add(t.readyMs());
            restartSpawn.add(t.spawnMs());
          }
        }
      }
      System.out.printf(Locale.ROOT, "real round %d/%d: bare %s, ours cold %s, restart %s (load %s)%n", r + 1, o.runs(),
          bare, cold, restart, Machine.loadAverage());
    }
    double b = bare.median();
    System.out.printf(Locale.ROOT, "real Anki bare start -> ready %s; ours start -> ready %s, -> spawned %s;"
        + " SIGKILL -> ready %s, -> spawned %s%n", bare, cold, coldSpawn, restart, restartSpawn);
    row("R1 start -> ready, ms: ours vs bare Anki", cold.median(), b, "-");
    row("R1 the supervisor's own cost (ours minus bare), ms", cold.median() - b, Double.NaN, "-");
    row("R2 SIGKILL -> new Anki ready, ms (vs a bare start)", restart.median(), b, "-");
    row("R2b SIGKILL -> new Anki spawned, ms", restartSpawn.median(), Double.NaN, "-");
  }

  private void soak(StandInBase.SyncLogin login) throws Exception {
    StandInBase base = RealAnkiBase.create(anki, dir.resolve("soak"), Bench.freePort(), login);
    Duration length = o.soak();
    AnkiConnectProbe api = new AnkiConnectProbe(base.port(), Duration.ofSeconds(30));
    try (OurSide side = ours(base, "run.log").flag("--sync-interval", o.syncInterval());
        StatusFileWatch watch = new StatusFileWatch(base.statusFile(), 100).start();
        PrintWriter csv = new PrintWriter(Files.newBufferedWriter(dir.resolve("real-soak.csv")))) {
      StartMeasure.coldStartMs(side, base.port());
      Bench.awaitSupervisorReady(base);
      firstUpload(api, base);
      long sup = side.supervisorPid().orElseThrow();
      System.out.printf("real soak: %s, sync every %s, a note every %s s; load %s%n", length, o.syncInterval(),
          NOTE_EVERY.toSeconds(), Machine.loadAverage());
      csv.println("seconds,supervisor_rss_kib,supervisor_anon_kib,anki_pid,anki_members,anki_rss_sum_kib,"
          + "anki_pss_sum_kib,anki_anon_sum_kib,anki_main_rss_kib,notes_added,load1");
      long t0 = System.nanoTime();
      long end = t0 + length.toNanos();
      long nextNote = t0 + NOTE_EVERY.toNanos();
      long nextReport = t0 + Duration.ofMinutes(1).toNanos();
      int notes = 1;
      java.util.Set<Long> ankiPids = new java.util.LinkedHashSet<>();
      List<long[]> samples = new ArrayList<>();
      while (true) {
        long now = System.nanoTime();
        OptionalLong pid = side.ankiPid();
        pid.ifPresent(ankiPids::add);
        ProcessGroupMemory.Snapshot g = pid.isPresent() ? ProcessGroupMemory.of(pid.getAsLong())
            : new ProcessGroupMemory.Snapshot(0, 0, 0, 0, 0);
        long rss = ProcStat.rssKib(sup).orElseThrow(() -> new IllegalStateException("the supervisor died"));
        long anon = ProcStat.rssAnonKib(sup).orElse(-1);
        long secs = (now - t0) / 1_000_000_000L;
        samples.add(new long[] {secs, rss, anon, g.rssKib(), g.pssKib(), g.leaderRssKib(), g.members(), g.anonKib()});
        csv.printf(Locale.ROOT, "%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%s%n", secs, rss, anon, pid.orElse(-1), g.members(),
            g.rssKib(), g.pssKib(), g.anonKib(), g.leaderRssKib(), notes, Machine.loadAverage().split(" ")[0]);
        csv.flush();
        if (now >= nextReport) {
          System.out.printf(Locale.ROOT, "  real soak %d s: supervisor RSS %d KiB; Anki group %d processes, RSS sum %d KiB,"
              + " PSS sum %d KiB, RssAnon sum %d KiB, main process %d KiB; syncs seen %d; notes %d; load %s%n", secs, rss,
              g.members(), g.rssKib(), g.pssKib(), g.anonKib(), g.leaderRssKib(), watch.attempts(), notes,
              Machine.loadAverage());
          nextReport += Duration.ofMinutes(1).toNanos();
        }
        if (now >= end) {
          break;
        }
        if (now >= nextNote) {
          addNote(api, notes++);
          nextNote += NOTE_EVERY.toNanos();
        }
        Thread.sleep(SAMPLE_EVERY.toMillis());
      }
      report(samples, watch, notes, ankiPids);
    }
  }

  /**
   * The server starts empty: the first note makes Anki ask for a full upload (the supervisor never
   * overwrites on its own), so the bench resolves it once with {@code full-sync --upload --yes},
   * after which every interval sync is a normal one carrying the new notes.
   */
  private void firstUpload(AnkiConnectProbe api, StandInBase base) throws IOException, InterruptedException {
    addNote(api, 0);
    Path log = dir.resolve("full-sync.log");
    int rc = Tools.runToEnd(Tools.launcher("full-sync", "--upload", "--yes", "--url",
        "http://127.0.0.1:" + base.port() + "/"), Map.of(), log, 600);
    System.out.println("real soak: first note added, full-sync --upload exited " + rc + " (" + log + ")");
  }

  private static void addNote(AnkiConnectProbe api, int n) {
    try {
      api.call("addNote", "{\"note\":{\"deckName\":\"Default\",\"modelName\":\"Basic\",\"fields\":{\"Front\":"
          + "\"bench question " + n + " " + Instant.now() + "\",\"Back\":\"answer " + n + "\"}}}");
    } catch (IOException e) {
      System.out.println("real soak: addNote " + n + " failed: " + e.getMessage());
    }
  }

  private void report(List<long[]> s, StatusFileWatch watch, int notes, java.util.Set<Long> ankiPids) {
    long[] warm = s.get(Math.min(s.size() - 1, 12)); // one minute in: start-up transients over
    long[] last = s.get(s.size() - 1);
    long maxGroupAnon = 0;
    long maxSup = 0;
    for (long[] x : s) {
      maxGroupAnon = Math.max(maxGroupAnon, x[7]);
      maxSup = Math.max(maxSup, x[1]);
    }
    long ok = watch.finished().stream().filter(f -> "ok".equals(f.state())).count();
    System.out.printf(Locale.ROOT, "real soak: %d samples; syncs finished %d (ok %d), succeeded %d; notes added %d;"
        + " Anki pids seen %s (more than one: Anki was relaunched)%n", s.size(), watch.attempts(), ok, watch.successes(),
        notes, ankiPids);
    double hours = (last[0] - warm[0]) / 3600.0;
    System.out.printf(Locale.ROOT, "real soak: at 1 min -> end (%d s): supervisor RSS %d -> %d KiB (max %d);"
        + " Anki group RssAnon sum %d -> %d KiB (max %d), RSS sum %d -> %d KiB, PSS sum %d -> %d KiB, main process"
        + " RSS %d -> %d KiB; group RssAnon growth %.1f MiB/h%n", last[0], warm[1], last[1], maxSup, warm[7], last[7],
        maxGroupAnon, warm[3], last[3], warm[4], last[4], warm[5], last[5],
        hours <= 0 ? Double.NaN : (last[7] - warm[7]) / 1024.0 / hours);
    row("R3 supervisor RSS after the " + o.soak().toMinutes() + "-minute soak, MiB (max)", last[1] / 1024.0,
        Double.NaN, "-", "max " + fmt(maxSup / 1024.0));
    row("R4 Anki process group (" + last[6] + " processes) RssAnon sum, end vs 1 min in, MiB", last[7] / 1024.0,
        warm[7] / 1024.0, "-", "growth " + fmt((last[7] - warm[7]) / 1024.0) + " MiB, max " + fmt(maxGroupAnon / 1024.0));
    row("R4b Anki process group RSS sum (shared pages counted per process), end vs 1 min in, MiB", last[3] / 1024.0,
        warm[3] / 1024.0, "-", "PSS sum " + fmt(warm[4] / 1024.0) + " -> " + fmt(last[4] / 1024.0));
    row("R4c Anki main process RSS, end vs 1 min in, MiB", last[5] / 1024.0, warm[5] / 1024.0, "-", "");
  }

  private void row(String figure, double ours, double anchor, String target) {
    row(figure, ours, anchor, target, "");
  }

  private void row(String figure, double ours, double anchor, String target, String note) {
    String ratio = Double.isNaN(anchor) || anchor == 0 ? "-" : String.format(Locale.ROOT, "%.2f", ours / anchor);
    table.add("| " + figure + " | " + fmt(ours) + " | " + (Double.isNaN(anchor) ? "-" : fmt(anchor)) + " | " + ratio
        + " | " + target + " | " + (note.isEmpty() ? "-" : note) + " |");
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "n/a" : Math.abs(v) >= 10 ? String.format(Locale.ROOT, "%.0f", v)
        : String.format(Locale.ROOT, "%.1f", v);
  }
}
