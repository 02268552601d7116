package dev.ankisupervisor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The fault-injection run: one real {@code anki-supervisor run} process with short
 * settings supervises the stand-in Anki and syncs with the stand-in sync server every few seconds,
 * while this injects {@link Fault}s drawn from a seeded {@link Random} for a bounded time. Before
 * each fault it writes data through AnkiConnect (a deck by {@code createDeck} and a collection
 * config value by {@code setConfig}, P1; the stand-in has no note/card action, so cards are only
 * those synced down from the server); at the end, after a stop and a fresh start, all of it must be
 * there. A reader thread parses the status file continuously; after every stop of the supervisor,
 * /proc is scanned for processes that mention the run's folder.
 *
 * <p>Used by {@code FaultInjectionIT} (short) and {@code bench/fault-injection.sh --minutes N}.
 *
 * <p>Threading: the calling thread drives everything; the status reader has its own thread.
 */
public final class FaultInjection {
  /** Settings of one run. */
  public record Options(Duration injectFor, long seed, Path dir, Duration recoveryBound, List<Fault> pool) {
    public Options(Duration injectFor, long seed, Path dir, Duration recoveryBound) {
      this(injectFor, seed, dir, recoveryBound, List.of(Fault.RANDOM));
    }
  }

  private static final Duration SYNC_INTERVAL = Duration.ofSeconds(3);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(3);
  private static final Duration PROBE = Duration.ofSeconds(2);

  private final Options o;
  private final Random random;
  private final Path marker;
  private final SyncServer server;
  private final StandInBase base;
  private final FaultReport report;
  private final StatusFileWatch watch;
  private OurSide supervisor;
  private boolean ignoreSigterm;
  private boolean syncsWired;
  private int written;

  private FaultInjection(Options o) throws IOException, InterruptedException {
    this.o = o;
    this.random = new Random(o.seed());
    this.marker = o.dir().resolve("sv");
    Files.createDirectories(marker);
    this.server = new SyncServer(Files.createDirectories(o.dir().resolve("server")), Bench.freePort());
    server.start(Map.of());
    this.base = StandInBase.create(marker, Bench.freePort(), Optional.of(server.login()));
    this.report = new FaultReport(o.seed(), o.injectFor());
    this.watch = new StatusFileWatch(base.statusFile(), 2, true).start();
  }

  /** Runs the whole thing and returns the counts; never leaves a process behind. */
  public static FaultReport run(Options o) throws Exception {
    System.out.println("fault injection: seed " + o.seed() + ", injecting for " + o.injectFor().toSeconds()
        + " s, folder " + o.dir() + ", " + Machine.describe());
    FaultInjection run = new FaultInjection(o);
    try {
      run.drive();
    } finally {
      run.cleanUp();
    }
    return run.report;
  }

  private void drive() throws Exception {
    startSupervisor();
    if (awaitReadyPid(OptionalLong.empty(), o.recoveryBound()) < 0) {
      throw new IllegalStateException("the supervisor never got Anki ready; see " + supervisor.log());
    }
    syncsWired = awaitFirstSync();
    report.syncsWired = syncsWired;
    report.cardsBefore = cardCount();
    long start = System.nanoTime();
    long end = start + o.injectFor().toNanos();
    boolean switched = false;
    if (o.pool().contains(Fault.SECOND_SUPERVISOR)) {
      inject(Fault.SECOND_SUPERVISOR); // at least once, whatever the draw
    }
    while (System.nanoTime() < end) {
      Fault f = !switched && System.nanoTime() >= start + o.injectFor().toNanos() / 2
          ? Fault.IGNORE_SIGTERM : o.pool().get(random.nextInt(o.pool().size()));
      switched |= f == Fault.IGNORE_SIGTERM;
      writeData();
      inject(f);
      Thread.sleep(1000 + random.nextInt(3000));
    }
    if (!switched) {
      writeData();
      inject(Fault.IGNORE_SIGTERM);
    }
    finish();
  }

  // ---- faults

  private void inject(Fault f) throws Exception {
    OptionalLong pid = supervisor.ankiPid();
    long t0 = System.nanoTime();
    long from = t0;
    Instant repaired = Instant.now();
    System.out.printf(Locale.ROOT, "  %6.1f s  %-14s anki pid %s%n", secondsSinceStart(), f,
        pid.isPresent() ? Long.toString(pid.getAsLong()) : "-");
    switch (f) {
      case CRASH -> signal(pid, "KILL");
      case ABORT -> signal(pid, "ABRT");
      case HANG -> signal(pid, "STOP");
      case STRAY_PORT -> {
        signal(pid, "KILL");
        boolean reported;
        try (ServerSocket stray = bindStray(base.port())) {
          Thread.sleep(4000 + random.nextInt(2000));
          reported = Files.readString(supervisor.log()).contains("held by pid " + ProcessHandle.current().pid());
        }
        report.strayReported &= reported;
        from = System.nanoTime();
      }
      case SLOW_SYNC -> {
        restartServer(Map.of("STANDIN_SYNC_DELAY_MS", "2500"));
        Thread.sleep(9000);
        restartServer(Map.of());
        from = System.nanoTime();
        repaired = Instant.now();
      }
      case SERVER_DOWN -> {
        server.stop();
        Thread.sleep(4000 + random.nextInt(2000));
        server.start(Map.of());
        from = System.nanoTime();
        repaired = Instant.now();
      }
      case SERVER_5XX -> {
        restartServer(Map.of("STANDIN_SYNC_FAIL_STATUS", "500"));
        Thread.sleep(4000 + random.nextInt(2000));
        restartServer(Map.of());
        from = System.nanoTime();
        repaired = Instant.now();
      }
      case SECOND_SUPERVISOR -> report.secondOwnerRefused &= startSecondSupervisor(pid);
      case IGNORE_SIGTERM -> {
        stopSupervisor("switching to ANKI_STANDIN_IGNORE_SIGTERM=1");
        ignoreSigterm = true;
        startSupervisor();
        from = System.nanoTime();
      }
    }
    OptionalLong old = f.hitsAnki() ? pid : OptionalLong.empty();
    long readyAt = awaitReadyPid(old, o.recoveryBound());
    boolean recovered = readyAt >= 0;
    if (recovered && !f.hitsAnki() && syncsWired) {
      recovered = awaitSyncSuccessAfter(repaired, o.recoveryBound());
      readyAt = System.nanoTime();
    }
    if (f == Fault.SECOND_SUPERVISOR) {
      recovered &= report.secondOwnerRefused && supervisor.ankiPid().equals(pid);
    }
    report.record(f, recovered, recovered ? (readyAt - from) / 1e6 : Double.NaN);
    if (!recovered) {
      System.out.println(supervisor.process().isAlive() ? "    NOT recovered within " + o.recoveryBound().toSeconds()
          + " s" : "    NOT recovered: the supervisor exited " + supervisor.process().exitValue());
      reviveSupervisor();
    }
  }

  private void signal(OptionalLong pid, String sig) {
    if (pid.isEmpty()) {
      throw new IllegalStateException("no Anki pid in the pidfile to send SIG" + sig + " to");
    }
    ProcStat.signal(pid.getAsLong(), sig);
  }

  /** A foreign listener on the AnkiConnect port, bound as soon as the killed Anki's socket is gone. */
  private static ServerSocket bindStray(int port) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      ServerSocket s = new ServerSocket();
      try {
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 1);
        return s;
      } catch (IOException e) {
        s.close();
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(2);
      }
    }
  }

  private void restartServer(Map<String, String> knobs) throws IOException, InterruptedException {
    server.stop();
    server.start(knobs);
  }

  // ---- the supervisor

  private void startSupervisor() throws IOException {
    supervisor = new OurSide(base, o.dir().resolve("supervisor.log"))
        .flag("--sync-interval", SYNC_INTERVAL.toSeconds() + "s")
        .flag("--liveness-interval", "1s").flag("--liveness-misses", "3")
        .flag("--stop-timeout", STOP_TIMEOUT.toSeconds() + "s").flag("--start-timeout", "60s")
        .flag("--restart-initial-delay", "300ms").flag("--restart-max-delay", "2s")
        .flag("--restart-reset-after", "5s").flag("--max-restarts", "1000")
        .env("ANKI_STANDIN_PATCHES", "config-actions,headless-sync");
    if (ignoreSigterm) {
      supervisor.env("ANKI_STANDIN_IGNORE_SIGTERM", "1");
    }
    supervisor.start();
  }

  /**
   * A second supervisor with the first one's flags on the same base: true when it exits 78 within
   * the recovery bound naming the first's pid, and the first and its Anki ({@code anki}) were left alone.
   */
  private boolean startSecondSupervisor(OptionalLong anki) throws IOException, InterruptedException {
    Path log = o.dir().resolve("second-supervisor.log");
    Files.deleteIfExists(log);
    OurSide second = new OurSide(base, log).flag("--sync-interval", SYNC_INTERVAL.toSeconds() + "s")
        .flag("--liveness-interval", "1s").flag("--stop-timeout", STOP_TIMEOUT.toSeconds() + "s");
    second.start();
    if (!second.process().waitFor(o.recoveryBound().toSeconds(), TimeUnit.SECONDS)) {
      System.out.println("    the second supervisor is still running; killing it");
      second.process().destroyForcibly().waitFor();
      return false;
    }
    long owner = supervisor.process().pid();
    boolean named = Files.readString(log).contains("owned by pid " + owner);
    boolean untouched = supervisor.process().isAlive() && anki.isPresent() && supervisor.ankiPid().equals(anki)
        && Files.readString(base.stateDir().resolve("supervisor.pid")).strip().split("\\s+")[0].equals(Long.toString(owner));
    System.out.printf(Locale.ROOT, "    second supervisor exited %d, named the owner: %s, first untouched: %s%n",
        second.exitValue(), named, untouched);
    return second.exitValue() == 78 && named && untouched;
  }

  /** SIGTERM to the supervisor; its exit code and what it left behind go into the report. */
  private void stopSupervisor(String why) throws InterruptedException {
    System.out.println("    stopping the supervisor (" + why + ")");
    Process p = supervisor.process();
    if (p.isAlive()) {
      ProcStat.signal(p.pid(), "TERM");
      if (!p.waitFor(STOP_TIMEOUT.toSeconds() + 60, TimeUnit.SECONDS)) {
        report.stopProblems.add("supervisor still running 60 s after SIGTERM (" + why + ")");
        p.destroyForcibly().waitFor();
      } else if (p.exitValue() != 0) {
        report.stopProblems.add("supervisor exited " + p.exitValue() + " on SIGTERM (" + why + ")");
      }
    } else {
      report.stopProblems.add("supervisor had already exited " + p.exitValue() + " (" + why + ")");
    }
    Thread.sleep(200);
    List<Long> left = ProcStat.mentioning(marker.toString());
    if (!left.isEmpty()) {
      for (long pid : left) {
        report.leftovers.add(pid + " " + ProcStat.cmdline(pid) + " (after: " + why + ")");
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  /** After an unrecovered fault: whatever state it is in, get a working supervisor back. */
  private void reviveSupervisor() throws Exception {
    if (!supervisor.process().isAlive()) {
      report.unexpectedExits.add("supervisor exited " + supervisor.process().exitValue());
    } else {
      stopSupervisor("reviving after an unrecovered fault");
    }
    for (long pid : ProcStat.mentioning(marker.toString())) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
    if (!server.isRunning()) {
      server.start(Map.of());
    }
    startSupervisor();
    if (awaitReadyPid(OptionalLong.empty(), o.recoveryBound()) < 0) {
      throw new IllegalStateException("the supervisor cannot get Anki ready again; see " + supervisor.log());
    }
  }

  // ---- waiting

  /**
   * Waits until deckNames answers and the pidfile names a pid other than {@code old}.
   *
   * @return System.nanoTime() of that moment, or -1
   */
  private long awaitReadyPid(OptionalLong old, Duration atMost) throws InterruptedException {
    AnkiConnectProbe probe = new AnkiConnectProbe(base.port(), PROBE);
    long deadline = System.nanoTime() + atMost.toNanos();
    while (System.nanoTime() < deadline) {
      OptionalLong now = supervisor.ankiPid();
      if (now.isPresent() && (old.isEmpty() || now.getAsLong() != old.getAsLong()) && probe.isReady()) {
        return System.nanoTime();
      }
      if (!supervisor.process().isAlive()) {
        return -1;
      }
      Thread.sleep(20);
    }
    return -1;
  }

  private boolean awaitFirstSync() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (watch.attempts() > 0) {
        return awaitSyncSuccessAfter(Instant.EPOCH, o.recoveryBound());
      }
      Thread.sleep(100);
    }
    System.out.println("    no sync attempt in the status file 30 s after ready: the sync loop is not wired"
        + " into run; server faults are checked by /health and deckNames only");
    return false;
  }

  private boolean awaitSyncSuccessAfter(Instant t, Duration atMost) throws InterruptedException {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (System.nanoTime() < deadline) {
      Instant last = watch.lastSuccess();
      if (last != null && last.isAfter(t)) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }

  // ---- data

  /** A deck and a config value, written and read back before the next fault. */
  private void writeData() throws Exception {
    int n = ++written;
    AnkiConnectProbe api = new AnkiConnectProbe(base.port(), Duration.ofSeconds(30));
    retry(() -> api.call("createDeck", "{\"deck\":\"FI::f" + n + "\"}"));
    retry(() -> api.call("setConfig", "{\"key\":\"bench.f" + n + "\",\"val\":" + n + "}"));
    report.decksWritten = n;
  }

  private interface Call {
    JsonNode call() throws IOException;
  }

  private JsonNode retry(Call c) throws Exception {
    long deadline = System.nanoTime() + o.recoveryBound().toNanos();
    IOException last = null;
    while (System.nanoTime() < deadline) {
      try {
        return c.call();
      } catch (IOException e) {
        last = e;
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException("AnkiConnect call kept failing for " + o.recoveryBound().toSeconds() + " s", last);
  }

  private int cardCount() throws Exception {
    AnkiConnectProbe api = new AnkiConnectProbe(base.port(), Duration.ofSeconds(30));
    return retry(() -> api.call("findCards", "{\"query\":\"deck:*\"}")).size();
  }

  // ---- the end

  private void finish() throws Exception {
    stopSupervisor("the end of the run" + (ignoreSigterm ? ", Anki ignoring SIGTERM" : ""));
    ignoreSigterm = false;
    startSupervisor();
    if (awaitReadyPid(OptionalLong.empty(), o.recoveryBound()) < 0) {
      throw new IllegalStateException("the fresh start for the data check never got ready; see " + supervisor.log());
    }
    AnkiConnectProbe api = new AnkiConnectProbe(base.port(), Duration.ofSeconds(30));
    JsonNode decks = retry(() -> api.call("deckNames", "{}"));
    List<String> names = new ArrayList<>();
    decks.forEach(d -> names.add(d.asText()));
    for (int n = 1; n <= written; n++) {
      int k = n;
      if (!names.contains("FI::f" + n)) {
        report.lost.add("deck FI::f" + n);
      }
      JsonNode v = retry(() -> api.call("getConfig", "{\"key\":\"bench.f" + k + "\"}"));
      if (v == null || v.asInt(-1) != n) {
        report.lost.add("config bench.f" + n + " (found " + v + ")");
      }
    }
    report.cardsAfter = cardCount();
    if (report.cardsAfter < report.cardsBefore) {
      report.lost.add((report.cardsBefore - report.cardsAfter) + " of the " + report.cardsBefore + " cards");
    }
    stopSupervisor("after the data check");
    report.syncAttempts = watch.attempts();
    report.syncSuccesses = watch.successes();
    report.statusReads = watch.reads();
    report.parseFailures = watch.parseFailures();
    report.parseFailureSamples.addAll(watch.failureSamples());
  }

  private void cleanUp() throws InterruptedException {
    watch.close();
    if (supervisor != null && supervisor.process() != null && supervisor.process().isAlive()) {
      supervisor.process().destroyForcibly().waitFor(20, TimeUnit.SECONDS);
    }
    for (long pid : ProcStat.mentioning(marker.toString())) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
    server.close();
  }

  private final long startedNanos = System.nanoTime();

  private double secondsSinceStart() {
    return (System.nanoTime() - startedNanos) / 1e9;
  }

  /** {@code bench/fault-injection.sh --minutes N [--seconds N] [--seed S] [--dir DIR] [--only F,F]}; exit 0 on PASS, 1 on FAIL. */
  public static void main(String[] args) throws Exception {
    Duration length = Duration.ofMinutes(5);
    long seed = new Random().nextLong();
    Path dir = null;
    List<Fault> pool = List.of(Fault.RANDOM);
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--minutes" -> length = Duration.ofMinutes(Long.parseLong(args[++i]));
        case "--seconds" -> length = Duration.ofSeconds(Long.parseLong(args[++i]));
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--dir" -> dir = Path.of(args[++i]);
        case "--only" -> pool = java.util.Arrays.stream(args[++i].split(","))
            .map(f -> Fault.valueOf(f.toUpperCase(Locale.ROOT).replace('-', '_'))).toList();
        default -> throw new IllegalArgumentException("unknown flag " + args[i]
            + "; flags: --minutes N | --seconds N, --seed S, --dir DIR, --only crash,hang,...");
      }
    }
    if (dir == null) {
      dir = Files.createTempDirectory("anki-faults-");
    }
    FaultReport r = run(new Options(length, seed, dir, Duration.ofSeconds(60), pool));
    System.out.println(r.table());
    System.exit(r.passed() ? 0 : 1);
  }

  static EnumMap<Fault, Integer> zeroes() {
    EnumMap<Fault, Integer> m = new EnumMap<>(Fault.class);
    for (Fault f : Fault.values()) {
      m.put(f, 0);
    }
    return m;
  }
}
