package dev.ankisupervisor.watch;

import dev.ankisupervisor.ankiconnect.AnkiConnectEndpoint;
import dev.ankisupervisor.os.ExitStatus;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/** Steps that launch fake processes: tests decide what probes answer and when processes exit. */
final class FakeSteps implements AnkiSteps {
  final List<FakeProcess> launched = new CopyOnWriteArrayList<>();
  final AtomicReference<ProbeResult.Kind> deckNames = new AtomicReference<>(ProbeResult.Kind.OK);
  final AtomicReference<ProbeResult.Kind> version = new AtomicReference<>(ProbeResult.Kind.OK);
  final AtomicReference<InetAddress> address;
  final AtomicReference<Exception> awaitFailure = new AtomicReference<>();
  final AtomicInteger forgotPid = new AtomicInteger();
  /** Thrown by the next {@code prepareFailuresLeft} prepares (a stale-holder refusal, say). */
  final AtomicReference<Exception> prepareFailure = new AtomicReference<>();
  final AtomicInteger prepareFailuresLeft = new AtomicInteger();
  /** Every probe's action, in order. */
  final List<String> probed = new CopyOnWriteArrayList<>();
  /** Runs inside each prepare: a test lets fake time pass there (a prepare that hangs). */
  final AtomicReference<Runnable> duringPrepare = new AtomicReference<>(() -> { });

  FakeSteps() throws Exception {
    address = new AtomicReference<>(InetAddress.getByName("100.64.0.1"));
  }

  @Override
  public InetAddress awaitAddress(Duration timeout, Consumer<String> progress) throws Exception {
    if (awaitFailure.get() != null) {
      throw awaitFailure.get();
    }
    return address.get();
  }

  @Override
  public Optional<InetAddress> currentAddress() {
    return awaitFailure.get() != null ? Optional.empty() : Optional.of(address.get());
  }

  @Override
  public void prepare(InetAddress bind) throws Exception {
    duringPrepare.get().run();
    if (prepareFailure.get() != null && prepareFailuresLeft.getAndDecrement() > 0) {
      throw prepareFailure.get();
    }
  }

  @Override
  public AnkiProcess launch(InetAddress bind) {
    FakeProcess p = new FakeProcess(1000 + launched.size());
    launched.add(p);
    return p;
  }

  @Override
  public ProbeResult probe(InetAddress bind, String action, Duration timeout) {
    probed.add(action);
    ProbeResult.Kind kind = action.equals("deckNames") ? deckNames.get() : version.get();
    return new ProbeResult(kind, Duration.ofMillis(1), kind.name());
  }

  @Override
  public AnkiConnectEndpoint endpointFor(InetAddress bind) {
    return AnkiConnectEndpoint.of(bind.getHostAddress(), 8765, Optional.empty());
  }

  @Override
  public void forgetPid() {
    forgotPid.incrementAndGet();
  }

  FakeProcess last() {
    return launched.get(launched.size() - 1);
  }

  /** A process that exits when told to; SIGTERM makes it exit 0, SIGKILL by SIGKILL. */
  static final class FakeProcess implements AnkiProcess {
    final long pid;
    final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    final AtomicInteger terms = new AtomicInteger();
    final AtomicInteger kills = new AtomicInteger();
    volatile boolean ignoreSigterm;
    /** What its output named as the cause of its exit, if anything. */
    volatile String diagnosis;

    FakeProcess(long pid) {
      this.pid = pid;
    }

    @Override
    public long pid() {
      return pid;
    }

    @Override
    public Optional<String> diagnosis() {
      return Optional.ofNullable(diagnosis);
    }

    @Override
    public CompletableFuture<ExitStatus> onExit() {
      return exit;
    }

    @Override
    public void terminate() {
      terms.incrementAndGet();
      if (!ignoreSigterm) {
        exit.complete(ExitStatus.exited(0));
      }
    }

    @Override
    public void killTree() {
      kills.incrementAndGet();
      exit.complete(ExitStatus.killedBy(9));
    }

    void crash() {
      exit.complete(ExitStatus.killedBy(6));
    }

    void exitWith(int code) {
      exit.complete(ExitStatus.exited(code));
    }

    /** Exits with {@code code} after output that named a known cause. */
    void exitWith(int code, String diagnosis) {
      this.diagnosis = diagnosis;
      exit.complete(ExitStatus.exited(code));
    }
  }
}
