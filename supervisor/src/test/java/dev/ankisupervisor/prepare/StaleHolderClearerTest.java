package dev.ankisupervisor.prepare;

import dev.ankisupervisor.files.PidFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ankisupervisor.config.AnkiSettings;
import dev.ankisupervisor.os.LockTable;
import dev.ankisupervisor.os.PortTable;
import dev.ankisupervisor.os.ProcFs;
import dev.ankisupervisor.os.ProcessIdentity;
import dev.ankisupervisor.os.Sleeper;
import dev.ankisupervisor.testing.FakeSleeper;
import dev.ankisupervisor.testing.Python3;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes (CPython) holding a real SQLite lock or a real port, cleared or refused. */
class StaleHolderClearerTest {
  /** Plays a stale Anki: `-b BASE -p PROFILE` on its command line, the collection locked (C7). */
  private static final String STALE_ANKI = String.join("\n",
      "import sqlite3, sys, time, os, signal",
      "if os.environ.get('IGNORE_TERM'): signal.signal(signal.SIGTERM, signal.SIG_IGN)",
      "b = sys.argv[sys.argv.index('-b') + 1]; p = sys.argv[sys.argv.index('-p') + 1]",
      "os.makedirs(os.path.join(b, p), exist_ok=True)",
      "c = sqlite3.connect(os.path.join(b, p, 'collection.anki2'), isolation_level=None)",
      "c.execute('pragma journal_mode=wal'); c.execute('pragma locking_mode=exclusive')",
      "c.execute('create table if not exists t(x)'); c.execute('begin exclusive'); c.execute('insert into t values(1)'); c.execute('commit')",
      "print('locked', flush=True)",
      "time.sleep(600)");

  @TempDir Path base;
  @TempDir Path state;
  private Process child;

  @AfterEach
  void killChild() throws Exception {
    if (child != null) {
      child.destroyForcibly();
      child.waitFor();
    }
  }

  private Process start(boolean ignoreTerm, String... args) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(args).redirectError(ProcessBuilder.Redirect.INHERIT);
    if (ignoreTerm) {
      pb.environment().put("IGNORE_TERM", "1");
    }
    child = pb.start();
    assertThat(new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream())).readLine()).isNotNull();
    return child;
  }

  private AnkiSettings anki(List<String> command) {
    return new AnkiSettings(base, "server", "en_US", command, "2055492159");
  }

  private static int freePort() throws Exception {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void stopsThePidfilesAnkiWithSigtermAndFreesTheLock() throws Exception {
    Process stale = start(false, "python3", "-c", STALE_ANKI, "-b", base.toString(), "-p", "server");
    PidFile pidFile = new PidFile(state.resolve("anki.pid"));
    pidFile.write(ProcFs.system().identity(stale.pid()).orElseThrow());
    // the configured command does not match: only the pidfile says it is ours
    AnkiSettings anki = anki(List.of("/opt/other/bin/qt"));

    ClearReport report = new StaleHolderClearer().clear(anki, InetAddress.getLoopbackAddress(), freePort(), pidFile.path(), Duration.ofSeconds(30));

    assertThat(report.stopped()).extracting(ProcessIdentity::pid).containsExactly(stale.pid());
    assertThat(report.killed()).isEmpty();
    assertThat(stale.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("ended by the clearer, not by its 600 s sleep").isTrue();
    assertThat(LockTable.system().holdersOf(anki.collection())).isEmpty();
    assertThat(pidFile.path()).doesNotExist();
  }

  @Test
  void killsAnAnkiOfThisBaseThatIgnoresSigterm() throws Exception {
    Process stale = start(true, "python3", "-c", STALE_ANKI, "-b", base.toString(), "-p", "server");
    // no pidfile: the command line (-b BASE and the configured command) says it is ours
    AnkiSettings anki = anki(List.of("python3", "-c", STALE_ANKI));

    ClearReport report = new StaleHolderClearer().clear(anki, InetAddress.getLoopbackAddress(), freePort(),
        state.resolve("anki.pid"), Duration.ofMillis(500));

    assertThat(report.stopped()).extracting(ProcessIdentity::pid).containsExactly(stale.pid());
    assertThat(report.killed()).extracting(ProcessIdentity::pid).containsExactly(stale.pid());
    assertThat(stale.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("ended by the clearer, not by its 600 s sleep").isTrue();
    assertThat(LockTable.system().holdersOf(anki.collection())).isEmpty();
  }

  @Test
  void refusesAForeignLockHolderNamingItsPidAndLeavesItRunning() throws Exception {
    Files.createDirectories(base.resolve("server"));
    Process foreign = start(false, "python3", "-c", Python3.HOLD_SQLITE_LOCK, base.resolve("server/collection.anki2").toString());
    AnkiSettings anki = anki(List.of("anki"));

    assertThatThrownBy(() -> new StaleHolderClearer().clear(anki, InetAddress.getLoopbackAddress(), freePort(),
            state.resolve("anki.pid"), Duration.ofSeconds(5)))
        .isInstanceOfSatisfying(ForeignHolderException.class, e -> {
          assertThat(e.kind()).isEqualTo(PrepareException.Kind.CONFIG);
          assertThat(e.holder().pid()).isEqualTo(foreign.pid());
        })
        .hasMessageMatching("collection \\Q" + anki.collection() + "\\E is locked by pid " + foreign.pid() + " \\(\\S*python3 -c [^\\n]*")
        .hasMessageContaining("started ")
        .hasMessageEndingWith("or choose another --base");
    assertThat(foreign.isAlive()).isTrue();
  }

  @Test
  void aLockHolderInALockTableReadBeforeItExitedIsPassedOver() throws Exception {
    Files.createDirectories(base.resolve("server"));
    Process foreign = start(false, "python3", "-c", Python3.HOLD_SQLITE_LOCK, base.resolve("server/collection.anki2").toString());
    StaleHolderClearer clearer = new StaleHolderClearer();
    List<LockTable.Lock> before = clearer.lockTable();
    assertThat(before).anyMatch(l -> l.pid() == foreign.pid());
    foreign.destroyForcibly();
    foreign.waitFor();

    ClearReport report = clearer.clear(anki(List.of("anki")), InetAddress.getLoopbackAddress(), freePort(),
        state.resolve("anki.pid"), Duration.ofSeconds(5), java.util.Optional.of(before));

    assertThat(report.isNothingFound()).isTrue();
  }

  @Test
  void refusesAForeignPortHolder() throws Exception {
    String listen = "import socket, time\ns = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()\n"
        + "print(s.getsockname()[1], flush=True)\ntime.sleep(600)";
    child = new ProcessBuilder("python3", "-c", listen).start();
    int port = Integer.parseInt(new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream())).readLine().strip());

    assertThatThrownBy(() -> new StaleHolderClearer().clear(anki(List.of("anki")), InetAddress.getByName("127.0.0.1"), port,
            state.resolve("anki.pid"), Duration.ofSeconds(5)))
        .isInstanceOf(ForeignHolderException.class)
        .hasMessageMatching("port " + port + " on 127.0.0.1 is held by pid " + child.pid() + " \\(\\S*python3 -c [^\\n]*")
        .hasMessageEndingWith("; stop it or set --connect-port");
    assertThat(child.isAlive()).isTrue();
  }

  @Test
  void findsNothingOnACleanBase() throws Exception {
    ClearReport report = new StaleHolderClearer().clear(anki(List.of("anki")), InetAddress.getLoopbackAddress(), freePort(),
        state.resolve("anki.pid"), Duration.ofSeconds(5));

    assertThat(report.isNothingFound()).isTrue();
  }

  @Test
  void theOwnershipRuleNeedsThisBaseAndTheCommand() {
    AnkiSettings anki = new AnkiSettings(Path.of("/var/lib/anki"), "server", "", List.of("anki"), "2055492159");
    java.time.Instant t = java.time.Instant.EPOCH;
    java.util.function.Function<List<String>, ProcessIdentity> p = argv -> new ProcessIdentity(4242, 1, t, argv);

    assertThat(AnkiOwnership.isOurs(p.apply(List.of("/nix/store/x/bin/.anki-wrapped", "-b", "/var/lib/anki/", "-p", "server")), anki, java.util.Optional.empty())).isTrue();
    assertThat(AnkiOwnership.isOurs(p.apply(List.of("anki", "--base=/var/lib/anki")), anki, java.util.Optional.empty())).isTrue();
    assertThat(AnkiOwnership.isOurs(p.apply(List.of("anki", "-b", "/var/lib/other")), anki, java.util.Optional.empty())).isFalse();
    assertThat(AnkiOwnership.isOurs(p.apply(List.of("sqlite3", "-b", "/var/lib/anki")), anki, java.util.Optional.empty())).isFalse();
    assertThat(AnkiOwnership.isOurs(p.apply(List.of("sqlite3")), anki, java.util.Optional.of(p.apply(List.of("x"))))).isTrue();
  }

  /** A /proc whose tcp table lists one listener on 127.0.0.1:{@code port} that no process owns. */
  private Path procWithUnownedListener(Path root, int port) throws Exception {
    Files.createDirectories(root.resolve("net"));
    Files.writeString(root.resolve("locks"), "");
    Files.writeString(root.resolve("net/tcp"), TCP_HEADER + String.format(
        "   0: 0100007F:%04X 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 424242 1%n", port));
    return root;
  }

  private static final String TCP_HEADER = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt"
      + "   uid  timeout inode\n";

  private StaleHolderClearer clearerOn(Path proc, Sleeper sleeper) {
    return new StaleHolderClearer(new ProcFs(proc), new LockTable(proc.resolve("locks")),
        new PortTable(proc.resolve("net"), java.nio.ByteOrder.LITTLE_ENDIAN), sleeper);
  }

  @Test
  void aListenerWithoutOwnerThatStaysIsRefusedAfterLookingAgain(@TempDir Path root) throws Exception {
    Path proc = procWithUnownedListener(root, 8765);
    FakeSleeper sleeper = new FakeSleeper();

    assertThatThrownBy(() -> clearerOn(proc, sleeper).clear(anki(List.of("anki")), InetAddress.getByName("127.0.0.1"), 8765,
            state.resolve("anki.pid"), Duration.ofSeconds(5)))
        .isInstanceOfSatisfying(PrepareException.class, e -> assertThat(e.kind()).isEqualTo(PrepareException.Kind.CONFIG))
        .hasMessageContaining("port 8765 on 127.0.0.1 is held by a process we cannot see");
    assertThat(sleeper.sleeps).hasSize(9).allMatch(d -> d.equals(Duration.ofMillis(50)));
  }

  @Test
  void aListenerWhoseOwnerWasJustKilledIsNoHolderOnceItLeavesTheTable(@TempDir Path root) throws Exception {
    Path proc = procWithUnownedListener(root, 8765);
    // Its owner exited: the socket leaves the table by the next look.
    Sleeper socketCloses = new Sleeper() {
      @Override
      public long nanos() {
        return 0;
      }

      @Override
      public void sleep(Duration d) throws InterruptedException {
        try {
          Files.writeString(proc.resolve("net/tcp"), TCP_HEADER);
        } catch (java.io.IOException e) {
          throw new AssertionError(e);
        }
      }
    };

    ClearReport report = clearerOn(proc, socketCloses).clear(anki(List.of("anki")), InetAddress.getByName("127.0.0.1"), 8765,
        state.resolve("anki.pid"), Duration.ofSeconds(5));

    assertThat(report.isNothingFound()).isTrue();
  }
}
