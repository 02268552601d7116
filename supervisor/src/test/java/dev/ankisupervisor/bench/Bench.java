package dev.ankisupervisor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code bench/run.sh}: our supervisor against supervisord, both supervising the same stand-in
 * Anki, and the bare stand-in as the baseline. Prints each figure's samples and a table
 * (figure | ours | supervisord | ratio | target | met). Not a test: it only measures.
 *
 * <pre>
 * bench/run.sh [--runs N] [--quick] [--soak 10m] [--sync-interval 30s] [--status-runs N] [--dir DIR]
 * </pre>
 * {@code ANKI_SUPERVISOR_JAVA_OPTS} / {@code MALLOC_ARENA_MAX} in the environment reach our
 * supervisor (through the launcher) and nothing else.
 *
 * <p>Threading: main thread only (plus the status-file watcher).
 */
public final class Bench {
  private final BenchOptions o;
  private final Path dir;
  private final List<String[]> table = new ArrayList<>();

  private Bench(BenchOptions o, Path dir) {
    this.o = o;
    this.dir = dir;
  }

  public static void main(String[] args) throws Exception {
    BenchOptions o = BenchOptions.parse(args);
    Path dir = o.dir().orElse(Files.createTempDirectory("anki-bench-"));
    Files.createDirectories(dir);
    System.setProperty("bench.cache", dir.resolve("cache").toString());
    System.out.println("anki-supervisor bench, " + Instant.now() + ", folder " + dir);
    System.out.println(Machine.describe());
    System.out.println("options: " + o);
    if (o.realAnki()) {
      new RealAnkiBench(o, dir).run();
    } else {
      new Bench(o, dir).run();
    }
    System.out.println("load average at the end: " + Machine.loadAverage());
  }

  private void run() throws Exception {
    Map<String, String> knobs = Map.of("ANKI_STANDIN_PATCHES", "config-actions,headless-sync");
    StandInBase bareBase = StandInBase.create(dir.resolve("bare"), freePort(), Optional.empty());
    StandInBase oursBase = StandInBase.create(dir.resolve("ours"), freePort(), Optional.empty());
    StandInBase sdBase = StandInBase.create(dir.resolve("supervisord"), freePort(), Optional.empty());
    Stats bare = new Stats();
    Stats oursCold = new Stats();
    Stats oursRestart = new Stats();
    Stats sdCold = new Stats();
    Stats sdRestart = new Stats();
    Stats oursColdSpawn = new Stats();
    Stats oursRestartSpawn = new Stats();
    Stats sdColdSpawn = new Stats();
    Stats sdRestartSpawn = new Stats();
    Stats[] phases = {new Stats(), new Stats(), new Stats(), new Stats()};
    Stats readyLag = new Stats();
    warmUp(oursBase, knobs);
    for (int r = 0; r < o.runs(); r++) {
      // Rotate the order so a load spike does not always hit the same side.
      for (int k = 0; k < 3; k++) {
        switch ((r + k) % 3) {
          case 0 -> {
            try (BareSide side = new BareSide(bareBase, knobs)) {
              bare.add(StartMeasure.coldStartMs(side, bareBase.port()));
            }
          }
          case 1 -> {
            OurSide side = new OurSide(oursBase, dir.resolve("ours/run.log"));
            knobs.forEach(side::env);
            passThrough(side, "ANKI_SUPERVISOR_JAVA_OPTS");
            passThrough(side, "MALLOC_ARENA_MAX");
            try (side) {
              long startedAtMs = System.currentTimeMillis();
              StartMeasure.Timing cold = StartMeasure.coldStart(side, oursBase.port());
              add(cold, oursCold, oursColdSpawn);
              ReadyLag.of(oursBase.statusFile(), cold.readyAt()).ifPresent(readyLag::add);
              StartPhases.of(side.log(), startedAtMs).ifPresent(p -> p.addTo(phases));
              Thread.sleep(500);
              StartMeasure.Timing restart = StartMeasure.restart(side, oursBase.port());
              add(restart, oursRestart, oursRestartSpawn);
              ReadyLag.of(oursBase.statusFile(), restart.readyAt()).ifPresent(readyLag::add);
            }
          }
          default -> {
            try (SupervisordSide side = new SupervisordSide(sdBase, knobs)) {
              add(StartMeasure.coldStart(side, sdBase.port()), sdCold, sdColdSpawn);
              Thread.sleep(500);
              add(StartMeasure.restart(side, sdBase.port()), sdRestart, sdRestartSpawn);
            }
          }
        }
      }
      System.out.printf(Locale.ROOT, "round %d/%d: bare %s, ours cold %s restart %s, supervisord cold %s restart %s"
          + " (load %s)%n", r + 1, o.runs(), bare, oursCold, oursRestart, sdCold, sdRestart, Machine.loadAverage());
    }
    double b = bare.median();
    System.out.printf(Locale.ROOT, "bare stand-in start -> ready: median %.0f ms %s%n", b, bare);
    System.out.printf(Locale.ROOT, "ours: start -> ready median %.0f ms %s; SIGKILL -> ready median %.0f ms %s%n",
        oursCold.median(), oursCold, oursRestart.median(), oursRestart);
    System.out.printf(Locale.ROOT, "supervisord: start -> ready median %.0f ms %s; SIGKILL -> ready median %.0f ms %s%n",
        sdCold.median(), sdCold, sdRestart.median(), sdRestart);
    double oc = oursCold.median() - b;
    double sc = sdCold.median() - b;
    row("1 cold start overhead, ms (start->ready minus bare " + fmt(b) + ")", oc, sc, "<= 250 and < supervisord",
        oc <= 250 && oc < sc);
    double orr = oursRestart.median() - b;
    double srr = sdRestart.median() - b;
    row("2 restart latency, ms (SIGKILL->ready minus bare)", orr, srr, "<= 150 and < supervisord",
        orr <= 150 && orr < srr);
    System.out.printf(Locale.ROOT, "readiness lag (ours' readySince minus the driver's first answer seen, ms): %s%n",
        readyLag);
    row("1c readiness seen after deckNames answers, ms (supervisor's readySince minus the driver's probe, 10 ms"
        + " polls; max " + fmt(readyLag.max()) + ")", readyLag.median(), Double.NaN, "<= 50 (max)", readyLag.max() <= 50);
    System.out.printf(Locale.ROOT, "spawn times: ours start -> Anki spawned %s, SIGKILL -> new Anki spawned %s;"
        + " supervisord %s, %s%n", oursColdSpawn, oursRestartSpawn, sdColdSpawn, sdRestartSpawn);
    row("1b start -> Anki process spawned, ms (no stand-in noise)", oursColdSpawn.median(), sdColdSpawn.median(),
        "<= 300 and < supervisord", oursColdSpawn.median() <= 300 && oursColdSpawn.median() < sdColdSpawn.median());
    row("2b SIGKILL -> new Anki process spawned, ms (no stand-in noise)", oursRestartSpawn.median(),
        sdRestartSpawn.median(), "<= 50", oursRestartSpawn.median() <= 50);
    StartPhases.print(phases);
    soakAndStatus(knobs);
    printTable();
  }

  /**
   * Two untimed starts of ours before the rounds: the first makes the launcher's class-data archive
   * of {@code run} (written as that JVM exits), the second checks it and puts it in place, as any
   * installation's first two starts do. Every timed start then runs as all later ones will.
   */
  /**
   * Until the supervisor itself has seen Anki ready (its status file says so; at most 30 s): the
   * launcher keeps a {@code run} archive only from a JVM that saw Anki ready, and the bench's own
   * probe may see {@code deckNames} answer before the supervisor's next readiness poll does.
   */
  static void awaitSupervisorReady(StandInBase base) throws Exception {
    java.util.regex.Pattern ready = java.util.regex.Pattern.compile("\"supervisor\"[^}]*\"state\"\\s*:\\s*\"ready\"");
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (java.nio.file.Files.exists(base.statusFile())
          && ready.matcher(java.nio.file.Files.readString(base.statusFile())).find()) {
        return;
      }
      Thread.sleep(20);
    }
    System.out.println("warm-up: the supervisor did not report ready within 30 s; its archive of `run` is not kept");
  }

  private void warmUp(StandInBase base, Map<String, String> knobs) throws Exception {
    for (int i = 0; i < 2; i++) {
      OurSide side = new OurSide(base, dir.resolve("ours/warm-up.log"));
      knobs.forEach(side::env);
      passThrough(side, "ANKI_SUPERVISOR_JAVA_OPTS");
      passThrough(side, "MALLOC_ARENA_MAX");
      try (side) {
        StartMeasure.coldStartMs(side, base.port());
        awaitSupervisorReady(base);
      }
    }
    System.out.println("warm-up: two untimed starts of ours (class-data archive of `run` made and put in place)");
  }

  private static void add(StartMeasure.Timing t, Stats ready, Stats spawn) {
    ready.add(t.readyMs());
    if (t.spawnMs() >= 0) {
      spawn.add(t.spawnMs());
    }
  }

  private void soakAndStatus(Map<String, String> knobs) throws Exception {
    Path soakDir = dir.resolve("soak");
    try (SyncServer server = new SyncServer(soakDir, freePort())) {
      Files.createDirectories(soakDir);
      server.start(Map.of());
      StandInBase oursBase = StandInBase.create(soakDir.resolve("ours"), freePort(), Optional.of(server.login()));
      StandInBase sdBase = StandInBase.create(soakDir.resolve("supervisord"), freePort(), Optional.empty());
      OurSide ours = new OurSide(oursBase, soakDir.resolve("ours/run.log"))
          .flag("--sync-interval", o.syncInterval()).flag("--restart-initial-delay", "1s").flag("--max-restarts", "5");
      knobs.forEach(ours::env);
      passThrough(ours, "ANKI_SUPERVISOR_JAVA_OPTS");
      passThrough(ours, "MALLOC_ARENA_MAX");
      SupervisordSide sd = new SupervisordSide(sdBase, knobs);
      boolean withTwin = !o.twinOpts().equals("none");
      // Ours as systemd starts it (Type=notify, WatchdogSec=60s): NOTIFY_SOCKET names a listener, so the
      // sd_notify code (jnr-unixsocket) is loaded, as it is in every real installation.
      // "sysd", not "systemd": Anki's single-instance socket lives in <state>/anki-tmp and a Unix socket path
      // holds at most 107 bytes (C5); under a long temp folder the longer name passed it.
      StandInBase sysBase = StandInBase.create(soakDir.resolve("sysd"), freePort(), Optional.of(server.login()));
      OurSide sys = new OurSide(sysBase, soakDir.resolve("sysd/run.log"))
          .flag("--sync-interval", o.syncInterval()).flag("--restart-initial-delay", "1s").flag("--max-restarts", "5")
          .env("NOTIFY_SOCKET", soakDir.resolve("sysd/notify.sock").toString()).env("WATCHDOG_USEC", "60000000");
      knobs.forEach(sys::env);
      passThrough(sys, "ANKI_SUPERVISOR_JAVA_OPTS");
      passThrough(sys, "MALLOC_ARENA_MAX");
      StandInBase twinBase = StandInBase.create(soakDir.resolve("twin"), freePort(), Optional.of(server.login()));
      OurSide twin = new OurSide(twinBase, soakDir.resolve("twin/run.log"))
          .flag("--sync-interval", o.syncInterval()).flag("--restart-initial-delay", "1s").flag("--max-restarts", "5")
          .env("ANKI_SUPERVISOR_EXTRA_JAVA_OPTS", o.twinOpts());
      knobs.forEach(twin::env);
      StandInBase nmtBase = StandInBase.create(soakDir.resolve("nmt"), freePort(), Optional.of(server.login()));
      OurSide nmt = new OurSide(nmtBase, soakDir.resolve("nmt/run.log"))
          .flag("--sync-interval", o.syncInterval()).flag("--restart-initial-delay", "1s").flag("--max-restarts", "5")
          // The launcher turns the perf-data counters off; jcmd PerfCounter.print (the class counts) needs them.
          .env("ANKI_SUPERVISOR_EXTRA_JAVA_OPTS", "-XX:NativeMemoryTracking=summary -XX:+UsePerfData");
      knobs.forEach(nmt::env);
      try (dev.ankisupervisor.systemd.NotifyListener systemd = new dev.ankisupervisor.systemd.NotifyListener(
              soakDir.resolve("sysd/notify.sock").toString());
          ours; sd; twin; nmt; sys; StatusFileWatch watch = new StatusFileWatch(oursBase.statusFile(), 2).start()) {
        StartMeasure.coldStartMs(ours, oursBase.port());
        StartMeasure.coldStartMs(sys, sysBase.port());
        StartMeasure.coldStartMs(sd, sdBase.port());
        if (withTwin) {
          StartMeasure.coldStartMs(twin, twinBase.port());
        }
        StartMeasure.coldStartMs(nmt, nmtBase.port());
        long nmtPid = nmt.supervisorPid().orElseThrow();
        Jcmd.classCounts(nmtPid).ifPresent(c -> System.out.println("ours (the NMT twin, launcher defaults plus NMT):"
            + " classes loaded when Anki is ready: " + c));
        Jcmd.nativeMemory(nmtPid, dir.resolve("nmt-at-ready.txt"), "at ready");
        long oursPid = ours.supervisorPid().orElseThrow();
        System.out.println("ours: JVM " + ProcStat.cmdline(oursPid));
        System.out.printf("soak: %s with sync every %s ...%n", o.soak(), o.syncInterval());
        Soak.Result r = Soak.run(oursPid, sd.supervisorPid().orElseThrow(),
            withTwin ? twin.supervisorPid().orElseThrow() : -1, sys.supervisorPid().orElseThrow(), o.soak(), watch);
        System.out.println("ours under systemd: the listener got " + systemd.messages().size() + " datagrams"
            + (systemd.assignments().contains("READY=1") ? ", READY=1 among them" : ", no READY=1 (!)"));
        System.out.printf(Locale.ROOT, "soak: %d samples; syncs attempted %d, succeeded %d; idle intervals %.0f s;"
            + " ours total CPU %.3f s/min (syncs included); ours max RSS %d KiB%n", r.samples(), watch.attempts(),
            watch.successes(), r.idleSeconds(), r.oursTotalCpuPerMin(), r.oursMaxRssKib());
        row("3 supervisor RSS after " + o.soak().toSeconds() + " s soak, MiB" + (watch.attempts() == 0
            ? " (NO syncs ran)" : ""), r.oursRssKib() / 1024.0, r.sdRssKib() / 1024.0, "<= 48",
            r.oursRssKib() <= 48 * 1024);
        row("3s the same under systemd (NOTIFY_SOCKET listener, WATCHDOG_USEC), MiB", r.sysRssKib() / 1024.0,
            r.sdRssKib() / 1024.0, "<= 56", r.sysRssKib() <= 56 * 1024);
        System.out.printf("3: ours RssAnon (private: heap, malloc, relocated archives) %d KiB; under systemd %d KiB%n",
            r.oursAnonKib(), r.sysAnonKib());
        if (withTwin) {
          row("3b same, a twin with these flags after the defaults (below), MiB", r.twinRssKib() / 1024.0,
              r.sdRssKib() / 1024.0, "<= 48", r.twinRssKib() <= 48 * 1024);
          System.out.printf("3b flags: %s; twin RssAnon %d KiB%n", o.twinOpts(), r.twinAnonKib());
        }
        row("4 idle CPU, s per minute between syncs (after " + Soak.warmUp(o.soak()).toSeconds() + " s warm-up)", r.oursIdleCpuPerMin(), r.sdIdleCpuPerMin(), "<= 0.05",
            r.oursIdleCpuPerMin() <= 0.05);
        Jcmd.nativeMemory(nmtPid, dir.resolve("nmt-after-soak.txt"), "after the soak");
        Jcmd.classCounts(nmtPid).ifPresent(c -> System.out.println("ours (NMT twin): classes loaded after the soak: " + c));
        statusLatency(server, watch);
        statusCommand(oursBase, sd);
      }
    }
  }

  private static void passThrough(OurSide side, String name) {
    String v = System.getenv(name);
    if (v != null) {
      side.env(name, v);
    }
  }

  /** 5a: the server's last "finished" request of a sync -> the status file showing that sync. */
  private void statusLatency(SyncServer server, StatusFileWatch watch) {
    List<Instant> serverDone = server.finishedSyncRequests();
    Stats visible = new Stats();
    Stats mtime = new Stats();
    for (StatusFileWatch.SyncSeen s : watch.finished()) {
      Instant last = null;
      for (Instant t : serverDone) {
        if (!t.isAfter(s.visibleAt()) && (s.attemptAt() == null || !t.isBefore(s.attemptAt()))) {
          last = t;
        }
      }
      if (last != null) {
        visible.add(Duration.between(last, s.visibleAt()).toNanos() / 1e6);
        mtime.add(Duration.between(last, s.fileMtime()).toNanos() / 1e6);
      }
    }
    System.out.printf(Locale.ROOT, "status file after a sync: server's last request finished -> file visible: median"
        + " %.1f ms max %.1f ms %s; -> file mtime: median %.1f ms %s%n", visible.median(), visible.max(), visible,
        mtime.median(), mtime);
    row("5a status file visible after a sync finished, ms (" + visible.count() + " syncs)", visible.median(),
        Double.NaN, "-", null);
  }

  /** 5b: wall time of {@code anki-supervisor status}, without and with CDS, and of supervisorctl status. */
  private void statusCommand(StandInBase base, SupervisordSide sd) throws IOException, InterruptedException {
    Path log = dir.resolve("status-command.log");
    Path file = base.statusFile();
    if (!Files.exists(file)) {
      // The supervisor wrote none (status file not wired into run yet): time `status` on a sample.
      file = Tools.write(dir.resolve("sample-sync-status.json"), SAMPLE_STATUS.replace("PID",
          Long.toString(sd.supervisorPid().orElse(1))).replace("NOW", Instant.now().toString()));
      System.out.println("status command: the supervisor wrote no status file; timing `status` on a sample " + file);
    }
    List<String> ours = Tools.launcher("status", "--status-file", file.toString());
    List<String> ctl = List.of("supervisorctl", "-c", sd.conf().toString(), "status");
    // Two untimed runs: the first makes the class-data archive of `status`, the second puts it in place.
    Tools.runToEnd(ours, Map.of(), log, 120);
    Tools.runToEnd(ours, Map.of(), log, 120);
    Stats plain = new Stats();
    Stats noCds = new Stats();
    Stats sctl = new Stats();
    for (int i = 0; i < o.statusRuns(); i++) {
      plain.add(wallMs(ours, Map.of(), log));
      noCds.add(wallMs(ours, Map.of("ANKI_SUPERVISOR_CDS", "off"), log));
      sctl.add(wallMs(ctl, Map.of(), log));
    }
    System.out.printf(Locale.ROOT, "status command: ours %s, ours without CDS %s, supervisorctl status %s%n", plain,
        noCds, sctl);
    row("5b `status` command wall time, ms (vs `supervisorctl status`)", plain.median(), sctl.median(),
        "<= 250 and < supervisorctl", plain.median() <= 250 && plain.median() < sctl.median());
    row("5c `status` without class-data archive (ANKI_SUPERVISOR_CDS=off), ms", noCds.median(), sctl.median(), "-",
        null);
  }

  /** A schema-1 status document (docs/status.md) of a healthy supervisor, for when ours wrote none. */
  private static final String SAMPLE_STATUS = "{\"schema\":1,\"updatedAt\":\"NOW\",\"supervisor\":{\"pid\":PID,"
      + "\"version\":\"0.1.0\",\"startedAt\":\"NOW\",\"state\":\"ready\"},\"anki\":{\"pid\":PID,"
      + "\"profile\":\"server\",\"readySince\":\"NOW\",\"restarts\":0,\"lastExit\":null},\"ankiConnect\":"
      + "{\"url\":\"http://127.0.0.1:8765/\",\"lastProbeAt\":\"NOW\",\"lastProbeLatencyMs\":3,\"patches\":"
      + "{\"configApi\":true,\"headlessSync\":true},\"problem\":null},\"sync\":{\"state\":\"ok\","
      + "\"trigger\":\"interval\",\"lastAttemptAt\":\"NOW\",\"lastFinishedAt\":\"NOW\",\"lastDurationMs\":40,"
      + "\"lastSuccessAt\":\"NOW\",\"consecutiveFailures\":0,\"nextSyncAt\":\"NOW\",\"intervalSeconds\":30,"
      + "\"fullSyncDirection\":null,\"error\":null}}\n";

  private static double wallMs(List<String> cmd, Map<String, String> env, Path log)
      throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    Tools.runToEnd(cmd, env, log, 120);
    return (System.nanoTime() - t0) / 1e6;
  }

  private void row(String figure, double ours, double sd, String target, Boolean met) {
    String ratio = Double.isNaN(sd) || sd == 0 || Double.isNaN(ours) ? "-" : String.format(Locale.ROOT, "%.2f", ours / sd);
    table.add(new String[] {figure, fmt(ours), Double.isNaN(sd) ? "n/a" : fmt(sd), ratio, target,
        met == null ? "-" : met ? "yes" : "NO"});
  }

  private static String fmt(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    return Math.abs(v) >= 10 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3f", v);
  }

  private void printTable() {
    System.out.println();
    System.out.println("| figure | ours | anchor (supervisord, supervisorctl) | ratio | target | met |");
    System.out.println("|---|---|---|---|---|---|");
    for (String[] r : table) {
      System.out.println("| " + String.join(" | ", r) + " |");
    }
    System.out.println();
  }

  static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }
}
