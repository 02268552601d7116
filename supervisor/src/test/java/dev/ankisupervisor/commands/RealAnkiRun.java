package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ankisupervisor.os.LockTable;
import dev.ankisupervisor.testing.AddonDir;
import dev.ankisupervisor.testing.RealAnkiAddon;
import dev.ankisupervisor.testing.RealAnkiConnect;
import dev.ankisupervisor.testing.RealAnkiSyncServer;
import dev.ankisupervisor.testing.RealAnkiVenv;
import dev.ankisupervisor.testing.StandInAnkiProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code anki-supervisor run} with the real Anki of the venv and the add-on {@link RealAnkiAddon}
 * installs, as root or as the unprivileged system user {@value #USER} (the whole test folder is then
 * that user's, as a service's state folder would be). Every wait is bounded by {@link RealAnkiVenv#BOUND}
 * and a failure carries the supervisor's log, Anki's lines included: a dialog shows as a hang.
 */
final class RealAnkiRun implements AutoCloseable {
  /** Who runs the supervisor (and so Anki). */
  enum As { ROOT, SYSTEM_USER }

  /** The unprivileged user (created when missing, as RealQtWebEngineIT does). */
  static final String USER = "anki-it";
  static final String PROFILE = "server";
  /** systemd's default PATH for services. */
  static final String SERVICE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  private static final ObjectMapper JSON = new ObjectMapper();

  final RealAnkiVenv venv;
  final As as;
  final SupervisorProcess sup;
  final RealAnkiAddon addon;

  RealAnkiRun(Path dir, RealAnkiVenv venv, As as) throws IOException, InterruptedException {
    this(dir, venv, as, RealAnkiAddon.chosen());
  }

  RealAnkiRun(Path dir, RealAnkiVenv venv, As as, RealAnkiAddon addon) throws IOException, InterruptedException {
    assumeTrue(StandInAnkiProcess.isRoot() || as == As.ROOT, "running as " + USER + " needs the tests to run as root");
    this.venv = venv;
    this.as = as;
    this.sup = new SupervisorProcess(dir)
        .set("--anki-command", venv.anki().toString())
        .set("--start-timeout", RealAnkiVenv.BOUND.toSeconds() + "s");
    this.addon = addon;
    addon.install(sup.base, AddonDir.DIR);
    if (as == As.SYSTEM_USER) {
      Path home = dir.resolve("home");
      Files.createDirectories(home);
      // As a service user gets it: systemd's default PATH. The test JVM's (root's) PATH names folders
      // this user may not search, and then aqt's mpv probe fails with PermissionError, not "not found",
      // which aborts the profile load after the collection opened (no main window; SIGTERM ignored).
      sup.env("HOME", home.toString()).env("USER", USER).env("LOGNAME", USER).env("PATH", SERVICE_PATH)
          .prefix("setpriv", "--reuid=" + USER, "--regid=" + USER, "--init-groups", "--");
    }
  }

  private RealAnkiRun(RealAnkiRun previous, Path log) {
    this.venv = previous.venv;
    this.as = previous.as;
    this.addon = previous.addon;
    this.sup = previous.sup.again(log);
  }

  /** The next {@code run} on the same folder with the same settings (not started), logging to {@code log}. */
  RealAnkiRun next(Path log) {
    return new RealAnkiRun(this, log);
  }

  /** The sync flags: the server, {@code user} with {@code password} (in a file), the interval ({@code 0}: none). */
  RealAnkiRun sync(RealAnkiSyncServer server, String user, String password, String interval) throws IOException {
    Path pw = sup.dir.resolve("sync-password");
    Files.writeString(pw, password + "\n");
    sup.set("--sync-url", server.url()).set("--sync-user", user).set("--sync-password-file", pw.toString())
        .set("--sync-interval", interval);
    return this;
  }

  RealAnkiRun start() throws Exception {
    if (as == As.SYSTEM_USER) {
      ensureUser();
      Files.createDirectories(sup.stateDir);
      run("chown", "-R", USER + ":", sup.dir.toString());
    }
    sup.start();
    return this;
  }

  /**
   * Waits for the {@code times}-th ready. A timeout or an early exit fails with the whole log: Anki's
   * lines in it show the dialog it sits in (a dialog is a hang, C3).
   */
  void awaitReady(int times) {
    awaitLog("-> ready", times);
  }

  void awaitLog(String text, int times) {
    try {
      await().atMost(RealAnkiVenv.BOUND).pollInterval(Duration.ofMillis(100))
          .failFast("the supervisor exited", () -> !sup.process().isAlive())
          .until(() -> sup.count(text) >= times);
    } catch (Throwable e) {
      throw new AssertionError("'" + text + "' x" + times + " not logged within " + RealAnkiVenv.BOUND
          + " (" + e.getMessage() + "). The supervisor's log with Anki's lines:\n" + sup.log(), e);
    }
  }

  RealAnkiConnect connect() {
    return new RealAnkiConnect(sup.port);
  }

  /** The status file's {@code sync} object once {@code done} holds for it (bounded). */
  JsonNode awaitSync(String what, Predicate<JsonNode> done) {
    JsonNode[] last = new JsonNode[1];
    try {
      await().atMost(RealAnkiVenv.BOUND).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
          .until(() -> {
            last[0] = JSON.readTree(sup.stateDir.resolve("sync-status.json").toFile()).get("sync");
            return done.test(last[0]);
          });
    } catch (Throwable e) {
      throw new AssertionError(what + " not seen within " + RealAnkiVenv.BOUND + "; last sync: " + last[0]
          + "\n" + sup.log(), e);
    }
    return last[0];
  }

  /** A finished sync with {@code trigger} and state ok that started at or after {@code after}. */
  static Predicate<JsonNode> okSince(String trigger, Instant after) {
    return s -> trigger.equals(s.path("trigger").asText()) && "ok".equals(s.path("state").asText())
        && s.hasNonNull("lastAttemptAt") && !Instant.parse(s.get("lastAttemptAt").asText()).isBefore(after)
        && s.hasNonNull("lastFinishedAt")
        && !Instant.parse(s.get("lastFinishedAt").asText()).isBefore(Instant.parse(s.get("lastAttemptAt").asText()));
  }

  /** One short command of the jar as the same user as the supervisor. */
  JarCommand command(String... args) {
    JarCommand c = new JarCommand(args);
    return as == As.SYSTEM_USER ? c.asUser(USER) : c;
  }

  /** SIGTERM to the supervisor; its exit code (bounded). */
  int sigterm() throws InterruptedException {
    sup.sigterm();
    return awaitExit();
  }

  int awaitExit() throws InterruptedException {
    if (!sup.process().waitFor(RealAnkiVenv.BOUND.toSeconds(), TimeUnit.SECONDS)) {
      throw new AssertionError("the supervisor still runs after " + RealAnkiVenv.BOUND + ":\n" + sup.log());
    }
    return sup.process().exitValue();
  }

  Path collection() {
    return sup.base.resolve(PROFILE).resolve("collection.anki2");
  }

  /** C7: Anki closed its collection: no {@code -wal} with content is left. */
  void assertCollectionClosed() throws IOException {
    Path wal = collection().resolveSibling("collection.anki2-wal");
    assertThat(Files.exists(wal) ? Files.size(wal) : 0L).as("%s after the stop:\n%s", wal, sup.log()).isZero();
  }

  /** The pids holding a lock on the collection now (C7: Anki's exclusive lock). */
  List<Long> lockHolders() throws IOException {
    return LockTable.system().holdersOf(collection()).stream().map(LockTable.Lock::pid).distinct().toList();
  }

  /** Nothing of this run is left: no process whose command line or environment names the test folder. */
  void assertNothingLeft() {
    await().atMost(RealAnkiVenv.BOUND).pollInterval(Duration.ofMillis(100))
        .alias("processes of " + sup.dir + " gone").until(() -> sup.leftovers().isEmpty());
  }

  @Override
  public void close() throws Exception {
    sup.close();
  }

  static void ensureUser() throws Exception {
    if (new ProcessBuilder("id", USER).start().waitFor() != 0) {
      Process p = new ProcessBuilder("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", USER)
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      // Another test JVM may have created it meanwhile.
      assertThat(p.waitFor() == 0 || new ProcessBuilder("id", USER).start().waitFor() == 0).as(out).isTrue();
    }
  }

  static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("%s: %s", List.of(cmd), out).isZero();
  }
}
