package dev.ankisupervisor.watch;

import dev.ankisupervisor.ankiconnect.AnkiConnectClient;
import dev.ankisupervisor.ankiconnect.AnkiConnectEndpoint;
import dev.ankisupervisor.ankiconnect.AnkiConnectError;
import dev.ankisupervisor.ankiconnect.AnkiConnectException;
import dev.ankisupervisor.config.Secret;
import dev.ankisupervisor.config.StateFiles;
import dev.ankisupervisor.config.SupervisorSettings;
import dev.ankisupervisor.files.PidFile;
import dev.ankisupervisor.launch.AnkiChildSpecs;
import dev.ankisupervisor.launch.AnkiLauncher;
import dev.ankisupervisor.launch.ChromiumSandbox;
import dev.ankisupervisor.launch.RunningAnki;
import dev.ankisupervisor.launch.StartFailureCause;
import dev.ankisupervisor.os.ExitStatus;
import dev.ankisupervisor.os.LockTable;
import dev.ankisupervisor.os.Signals;
import dev.ankisupervisor.prepare.BasePreparer;
import dev.ankisupervisor.prepare.BindAddressWaiter;
import dev.ankisupervisor.prepare.ClearReport;
import dev.ankisupervisor.prepare.PrepareException;
import dev.ankisupervisor.prepare.StaleHolderClearer;
import dev.ankisupervisor.systemd.AnkiLogRelay;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real steps behind {@link AnkiSteps}: {@code prepare}'s waiter, clearer and preparer,
 * {@code launch}'s launcher, and AnkiConnect probes. Anki's output goes through
 * {@link AnkiLogRelay}s into our log.
 *
 * <p>Threading: see {@link AnkiSteps}; {@link #previous} is written by {@link #launch} (supervisor
 * thread) and read by {@link #prepare} (I/O thread) strictly after, through the executors'
 * happens-before.
 */
final class RealAnkiSteps implements AnkiSteps {
  private static final Logger LOG = LoggerFactory.getLogger(RealAnkiSteps.class);
  /** How long the previous Anki's group may take to vanish before a relaunch (no helper outlives it). */
  private static final Duration GROUP_GONE_WAIT = Duration.ofSeconds(10);
  /** How long Anki's last stderr lines may lag its exit in our relay thread. */
  private static final Duration OUTPUT_SETTLE = Duration.ofMillis(200);
  /**
   * How old the lock table read by {@link #lookAhead} may be to stand in for the relaunch's own read:
   * long enough for a relaunch that follows a crash at once (tens of ms; more under load), far shorter
   * than any wait before a relaunch (a restart delay, a bind address coming back), after which the
   * table is read again.
   */
  static final Duration LOOK_AHEAD_FRESH = Duration.ofMillis(200);

  private final SupervisorSettings settings;
  private final Map<String, String> env;
  private final BindAddressWaiter waiter = new BindAddressWaiter();
  private final StaleHolderClearer clearer = new StaleHolderClearer();
  private final BasePreparer preparer = new BasePreparer();
  private final AnkiLauncher launcher = new AnkiLauncher();
  private final PidFile pidFile;
  private final LongSupplier ticker;
  /** Whether Anki runs as root, so it gets --no-sandbox (C9). */
  private final boolean asRoot;
  /** The last Anki launched, so its whole group is gone before the next launch. */
  private volatile RunningAnki previous;
  /** The lock table read by {@link #lookAhead}, and when (ticker); I/O thread only; used once. */
  private List<LockTable.Lock> lockTableAhead;
  private long lockTableAheadAt;

  RealAnkiSteps(SupervisorSettings settings, Map<String, String> env, LongSupplier ticker) {
    this.settings = settings;
    this.env = Map.copyOf(env);
    this.pidFile = new PidFile(settings.pidFile());
    this.ticker = ticker;
    this.asRoot = ChromiumSandbox.isRunningAsRoot();
    if (asRoot) {
      LOG.warn(ChromiumSandbox.rootWarning()); // once per run: the same for every launch
    }
  }

  @Override
  public InetAddress awaitAddress(Duration timeout, Consumer<String> progress) throws Exception {
    return waiter.await(settings.connect().bind(), timeout, progress);
  }

  @Override
  public Optional<InetAddress> currentAddress() {
    return waiter.current(settings.connect().bind());
  }

  /**
   * Reads the lock table (C7) while the supervisor thread handles the exit: that read waits 5-20 ms
   * in the kernel (LockTable#holdersOf), time the relaunch otherwise spends on its way to the spawn.
   */
  @Override
  public void lookAhead() {
    try {
      lockTableAhead = clearer.lockTable();
      lockTableAheadAt = ticker.getAsLong();
    } catch (IOException e) {
      lockTableAhead = null; // prepare reads it again and reports a failure
    }
  }

  @Override
  public void prepare(InetAddress bind) throws Exception {
    Optional<List<LockTable.Lock>> lockTable = takeLockTableAhead();
    RunningAnki last = previous;
    if (last != null) {
      // Nothing of the old Anki (its whole process group) is left before the next one starts.
      // After a crash the usual answer is "nothing left", and there is nothing to wait for; when the look
      // made as its exit was seen already found the group gone for good, that look is this one
      // (RunningAnki#groupMembers): no second pass over /proc.
      boolean signalled = last.killTree();
      if (signalled) {
        lockTable = Optional.empty(); // what was killed may have held locks when it was read
      }
      if (signalled && !last.awaitGroupGone(GROUP_GONE_WAIT)) {
        throw new PrepareException(PrepareException.Kind.IO, "the previous Anki's process group "
            + last.processGroup() + " is still alive " + GROUP_GONE_WAIT.toSeconds() + " s after SIGKILL (stuck in the"
            + " kernel?); not starting a second Anki beside it; check `ps -g " + last.processGroup() + "`");
      }
    }
    ClearReport cleared = clearer.clear(settings.anki(), bind, settings.connect().port(), settings.pidFile(),
        settings.stopTimeout(), lockTable);
    if (!cleared.isNothingFound()) {
      LOG.info("cleared stale Anki processes: stopped {}, killed {}", cleared.stopped(), cleared.killed());
    }
    var report = preparer.prepare(settings.anki(), settings.connect(), settings.sync(), bind);
    // BasePreparer has logged each step; the full report is for debugging.
    LOG.debug("base folder {} prepared: {}", settings.anki().base(), report.isUnchanged() ? "nothing changed" : report);
    resetTmpDir();
  }

  /**
   * The lock table {@link #lookAhead} read after the last exit, when it is at most
   * {@link #LOOK_AHEAD_FRESH} old; it is used once. It was read after the old Anki was reaped (its locks
   * went with it); a holder seen then that has gone since is passed over by the clearer, which looks at
   * each holder's process again before deciding anything.
   */
  private Optional<List<LockTable.Lock>> takeLockTableAhead() {
    List<LockTable.Lock> table = lockTableAhead;
    lockTableAhead = null;
    boolean fresh = table != null && ticker.getAsLong() - lockTableAheadAt <= LOOK_AHEAD_FRESH.toNanos();
    return fresh ? Optional.of(table) : Optional.empty();
  }

  /** A fresh private TMPDIR per launch (C5): no stale single-instance socket from a killed Anki. */
  private void resetTmpDir() throws IOException {
    Path tmp = tmpDir();
    if (Files.exists(tmp)) {
      try (Stream<Path> walk = Files.walk(tmp)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private Path tmpDir() {
    return StateFiles.ankiTmpDir(settings.stateDir());
  }

  @Override
  public AnkiProcess launch(InetAddress bind) throws Exception {
    var spec = AnkiChildSpecs.forAnki(settings.anki(), env, tmpDir(), asRoot);
    AnkiLogRelay out = new AnkiLogRelay();
    AnkiLogRelay err = new AnkiLogRelay();
    // Set by the stderr thread; read when the exit is seen (see Launched: the line may lag the exit).
    AtomicReference<String> cause = new AtomicReference<>();
    RunningAnki running;
    try {
      running = launcher.start(spec, out::relay, line -> {
        err.relay(line);
        StartFailureCause.of(line).ifPresent(c -> cause.compareAndSet(null, c));
      });
    } catch (IOException e) {
      throw new PrepareException(PrepareException.Kind.CONFIG, "cannot start Anki " + settings.anki().command()
          + " (" + e.getMessage() + "); the program must exist and be executable; fix --anki-command", e);
    }
    previous = running;
    try {
      pidFile.write(running.identity());
    } catch (IOException e) {
      running.killTree();
      throw new PrepareException(PrepareException.Kind.IO, "cannot write the pidfile " + settings.pidFile() + " ("
          + e.getMessage() + "); the state folder must be writable; check --state-dir", e);
    }
    return new Launched(running, cause);
  }

  @Override
  public ProbeResult probe(InetAddress bind, String action, Duration timeout) {
    AnkiConnectClient client = new AnkiConnectClient(endpointFor(bind));
    long start = ticker.getAsLong();
    try {
      client.call(action, timeout);
      return new ProbeResult(ProbeResult.Kind.OK, since(start), "");
    } catch (AnkiConnectException e) {
      ProbeResult.Kind kind = switch (e.kind()) {
        case UNREACHABLE -> ProbeResult.Kind.NO_PORT;
        case TIMEOUT -> ProbeResult.Kind.TIMEOUT;
        case ACTION_ERROR -> AnkiConnectError.COLLECTION_NOT_AVAILABLE.isIn(e)
            ? ProbeResult.Kind.NO_COLLECTION : ProbeResult.Kind.ERROR;
        default -> ProbeResult.Kind.ERROR;
      };
      return new ProbeResult(kind, since(start), e.getMessage());
    }
  }

  private Duration since(long start) {
    return Duration.ofNanos(ticker.getAsLong() - start);
  }

  @Override
  public AnkiConnectEndpoint endpointFor(InetAddress bind) {
    String host = bind.getHostAddress().replaceFirst("%.*$", "");
    return AnkiConnectEndpoint.of(host, settings.connect().port(), settings.connect().apiKey().map(Secret::reveal));
  }

  @Override
  public void forgetPid() {
    try {
      pidFile.delete();
    } catch (IOException e) {
      LOG.warn("cannot remove the pidfile {}: {}", settings.pidFile(), e.getMessage());
    }
  }

  /** Adapts {@link RunningAnki} to what the supervisor needs. */
  private static final class Launched implements AnkiProcess {
    private final RunningAnki running;
    /** The exit, judged a moment late for an exit 1 (see below). */
    private final CompletableFuture<ExitStatus> exit;
    /** Set when Anki's stderr named a known cause (C9's zygote refusal, C4's libGL.so.1). */
    private final AtomicReference<String> cause;

    Launched(RunningAnki running, AtomicReference<String> cause) {
      this.running = running;
      // A known cause is an exit 1 right after its stderr line; the reaper may see the exit before the
      // relay thread has read that line, so an exit 1 is judged a moment later.
      this.exit = running.onExit().thenCompose(s -> s.exitCode().orElse(-1) != 1 || cause.get() != null
          ? CompletableFuture.completedFuture(s)
          : CompletableFuture.supplyAsync(() -> s, CompletableFuture.delayedExecutor(
              OUTPUT_SETTLE.toMillis(), TimeUnit.MILLISECONDS)));
      this.cause = cause;
    }

    @Override
    public Optional<String> diagnosis() {
      return Optional.ofNullable(cause.get());
    }

    @Override
    public long pid() {
      return running.pid();
    }

    @Override
    public CompletableFuture<ExitStatus> onExit() {
      return exit;
    }

    @Override
    public void terminate() {
      running.signal(Signals.SIGTERM);
    }

    @Override
    public void killTree() {
      // After a clean exit there is usually nothing left: signal only when something is.
      if (!running.onExit().isDone() || !running.groupMembers().isEmpty()) {
        running.killTree();
      }
    }
  }
}
