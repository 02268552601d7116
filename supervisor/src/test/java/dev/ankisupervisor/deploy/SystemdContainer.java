package dev.ankisupervisor.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Debian 12 container booted with real systemd 252: {@code systemd-nspawn --register=no
 * --keep-unit --boot} on the host network, over an overlay of the cached {@link ContainerRoot}
 * (the upper layer lives in this container's own run folder, so the cache is never written). Commands
 * run inside through {@code nsenter} into the namespaces of the container's PID 1 (with
 * {@code --register=no} there is no machined, so {@code systemctl -M} cannot reach it).
 *
 * <p>Each container has a name and run folder of its own ({@code <cache>/run/<name>}), so test
 * classes in parallel JVMs never meet. It is always powered off and reaped: {@link #close()}
 * (SIGTERM to nspawn, which powers the container off; then SIGKILL of its PID 1 and nspawn, then the
 * overlay unmounted and the run folder removed), a JVM shutdown hook doing the same, and nspawn's
 * parent-death signal (setpriv --pdeathsig) for a JVM that is SIGKILLed. A run folder whose JVM is
 * gone is cleaned up by the next boot. One test thread uses a container at a time.
 */
final class SystemdContainer implements AutoCloseable {
  /** Bounds of every wait here; -Danki.nspawn.wait=SECONDS shortens or lengthens them. */
  static final Duration WAIT = Duration.ofSeconds(Long.getLong("anki.nspawn.wait", 60));
  private static final Path RUNS = ContainerRoot.CACHE.resolve("run");
  private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  /** A finished command: exit code and its whole stdout and stderr. */
  record Result(int exit, String out, String err) {
    Result ok() {
      if (exit != 0) {
        throw new AssertionError("exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err);
      }
      return this;
    }
  }

  private final String name;
  private final Path run;
  private final Path root;
  private final Process nspawn;
  private final Thread hook;
  private long leader;
  private boolean closed;

  private SystemdContainer(String name, Path run, Path root, Process nspawn) {
    this.name = name;
    this.run = run;
    this.root = root;
    this.nspawn = nspawn;
    this.hook = new Thread(this::closeQuietly, "power-off " + name);
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * Boots a container named {@code anki-<tag>-<our pid>} and waits until its systemd has finished
   * booting ({@code systemctl is-system-running --wait}).
   */
  static SystemdContainer boot(String tag) throws IOException, InterruptedException {
    return boot(tag, false);
  }

  /**
   * As {@link #boot(String)}; with {@code privateNetwork} the container has a network namespace of its
   * own ({@code --private-network}: only its loopback, which its systemd brings up), so units keep their
   * shipped ports and can add interfaces (CAP_NET_ADMIN there), and the host reaches nothing in it.
   */
  static SystemdContainer boot(String tag, boolean privateNetwork) throws IOException, InterruptedException {
    Path lower = ContainerRoot.get();
    Files.createDirectories(RUNS);
    reapOrphans();
    String name = "anki-" + tag + "-" + ProcessHandle.current().pid();
    Path run = RUNS.resolve(name);
    ContainerRoot.rmrf(run);
    Path root = run.resolve("root");
    for (String d : List.of("upper", "work", "root")) {
      Files.createDirectories(run.resolve(d));
    }
    // The JVM that owns this run folder (pid and start time): lets a later boot clean up after us.
    Files.writeString(run.resolve("owner"), ProcessHandle.current().pid() + " " + startOf(ProcessHandle.current().pid()));
    mustRun(List.of("mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + lower + ",upperdir=" + run.resolve("upper")
        + ",workdir=" + run.resolve("work"), root.toString()));
    List<String> cmd = new ArrayList<>(List.of("setpriv", "--pdeathsig", "TERM", "systemd-nspawn", "--quiet", "--register=no",
        "--keep-unit", "--boot", "--directory=" + root, "--machine=" + name, "--console=read-only"));
    if (privateNetwork) {
      cmd.add("--private-network");
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(run.resolve("console.log").toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    Process p = startFromOwnThread(pb, name);
    Files.writeString(run.resolve("nspawn"), p.pid() + " " + startOf(p.pid()));
    SystemdContainer c = new SystemdContainer(name, run, root, p);
    try {
      c.leader = c.awaitLeader();
      c.awaitBooted();
      return c;
    } catch (RuntimeException | IOException | InterruptedException e) {
      c.close();
      throw e;
    }
  }

  /**
   * The parent-death signal fires when the parent <em>thread</em> ends, so nspawn is started by a
   * thread that lives exactly as long as nspawn (or the JVM).
   */
  private static Process startFromOwnThread(ProcessBuilder pb, String name) throws IOException, InterruptedException {
    CompletableFuture<Process> started = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        Process p = pb.start();
        started.complete(p);
        p.waitFor();
      } catch (IOException | RuntimeException e) {
        started.completeExceptionally(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "nspawn " + name);
    t.setDaemon(true);
    t.start();
    try {
      return started.get();
    } catch (ExecutionException e) {
      throw new IOException("could not start systemd-nspawn: " + e.getCause().getMessage(), e.getCause());
    }
  }

  String name() {
    return name;
  }

  /** Where the container's {@code /absolute/path} is on the host (the overlay's merged view). */
  Path path(String inContainer) {
    return root.resolve(inContainer.replaceFirst("^/+", ""));
  }

  /** Runs argv inside the container (as root, clean environment), bounded by {@link #WAIT}. */
  Result exec(String... argv) throws IOException, InterruptedException {
    return exec(WAIT, argv);
  }

  /** Runs a shell script inside the container, failing the test unless it exits 0. */
  Result sh(String script) throws IOException, InterruptedException {
    return exec(WAIT, "sh", "-euc", script).ok();
  }

  Result exec(Duration timeout, String... argv) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("nsenter", "--target", Long.toString(leader), "--mount", "--uts", "--ipc",
        "--net", "--pid", "--root", "--wd", "--", "env", "-i", "PATH=" + PATH, "LANG=C.UTF-8", "SYSTEMD_PAGER=cat",
        "SYSTEMD_COLORS=0", "TERM=dumb"));
    cmd.addAll(List.of(argv));
    Path out = Files.createTempFile(run, "out", ".txt");
    Path err = Files.createTempFile(run, "err", ".txt");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw new AssertionError("`" + String.join(" ", argv) + "` in container " + name + " took longer than " + timeout
            + "\nstdout so far:\n" + Files.readString(out) + "\nstderr so far:\n" + Files.readString(err));
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** What the container printed on its console (systemd's boot and shutdown messages). */
  String console() {
    try {
      return Files.readString(run.resolve("console.log"));
    } catch (IOException e) {
      return "(no console log: " + e.getMessage() + ")";
    }
  }

  /** Powers the container off and waits for it; kills it when it does not go within {@link #WAIT}. */
  @Override
  public synchronized void close() throws InterruptedException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // called from the hook itself
    }
    powerOff(nspawn.toHandle(), leader, WAIT);
    try {
      cleanUp(run);
    } catch (IOException e) {
      throw new IllegalStateException("container " + name + " stopped but its run folder could not be removed: " + e.getMessage(), e);
    }
  }

  private void closeQuietly() {
    try {
      close();
    } catch (Exception e) {
      System.err.println("[nspawn] power-off of " + name + " failed: " + e);
    }
  }

  /**
   * {@code systemctl is-system-running --wait} until it says running (or degraded: some unit of
   * Debian's failed, which these tests do not need); before systemd has opened its socket it fails
   * at once, so it is retried.
   */
  private void awaitBooted() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    Result last = null;
    while (System.nanoTime() < deadline) {
      last = exec(WAIT, "systemctl", "is-system-running", "--wait");
      if (List.of("running", "degraded").contains(last.out().strip())) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("container " + name + " did not finish booting within " + WAIT + ": " + last + "\n" + console());
  }

  /** The container's PID 1 as the host sees it: the descendant of nspawn that is pid 1 in its own pid namespace. */
  private long awaitLeader() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!nspawn.isAlive()) {
        throw new IllegalStateException("systemd-nspawn exited " + nspawn.exitValue() + " while booting " + name + ":\n" + console());
      }
      for (ProcessHandle h : nspawn.descendants().toList()) {
        if (isPidOneOfItsNamespace(h.pid())) {
          return h.pid();
        }
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("container " + name + " has no init after " + WAIT + ":\n" + console());
  }

  private static boolean isPidOneOfItsNamespace(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("NSpid:")) {
          String[] ids = line.substring(6).strip().split("\\s+");
          return ids.length > 1 && ids[ids.length - 1].equals("1");
        }
      }
    } catch (IOException gone) {
      // exited meanwhile
    }
    return false;
  }

  /** SIGTERM to nspawn (it asks the container's systemd to power off), then SIGKILL of PID 1 and nspawn. */
  private static void powerOff(ProcessHandle nspawn, long leader, Duration grace) throws InterruptedException {
    if (nspawn.isAlive()) {
      nspawn.destroy();
      try {
        nspawn.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        System.err.println("[nspawn] container did not power off within " + grace + "; killing it");
      }
    }
    if (nspawn.isAlive()) {
      // Killing PID 1 of a pid namespace kills every process in it.
      if (leader > 0) {
        ProcessHandle.of(leader).ifPresent(ProcessHandle::destroyForcibly);
      }
      nspawn.destroyForcibly();
      try {
        nspawn.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException("systemd-nspawn " + nspawn.pid() + " survived SIGKILL", e);
      }
    }
  }

  private static void cleanUp(Path run) throws IOException, InterruptedException {
    Path root = run.resolve("root");
    if (isMountPoint(root)) {
      mustRun(List.of("umount", root.toString()));
    }
    ContainerRoot.rmrf(run);
  }

  /** Run folders whose JVM is gone (killed before its hooks ran): their nspawn, if still ours and alive, is stopped. */
  private static void reapOrphans() throws IOException, InterruptedException {
    try (var runs = Files.list(RUNS)) {
      for (Path run : runs.toList()) {
        Optional<ProcessHandle> owner = ours(run.resolve("owner"));
        if (owner.isPresent() || !Files.exists(run.resolve("owner"))) {
          continue;
        }
        Optional<ProcessHandle> nspawn = ours(run.resolve("nspawn"));
        if (nspawn.isPresent()) {
          powerOff(nspawn.get(), -1, WAIT);
        }
        System.err.println("[nspawn] removing the run folder of a test JVM that is gone: " + run);
        try {
          cleanUp(run);
        } catch (IOException e) {
          // Another test JVM booting at the same moment may be removing it too.
          System.err.println("[nspawn] could not remove " + run + ": " + e.getMessage());
        }
      }
    }
  }

  /** The live process a "pid starttime" file names, only if its start time still matches (no reused pid). */
  private static Optional<ProcessHandle> ours(Path file) {
    try {
      String[] w = Files.readString(file).strip().split(" ");
      long pid = Long.parseLong(w[0]);
      return ProcessHandle.of(pid).filter(h -> startOf(pid).equals(w[1]));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static String startOf(long pid) {
    return ProcessHandle.of(pid).flatMap(h -> h.info().startInstant()).map(Instant::toString).orElse("?");
  }

  private static boolean isMountPoint(Path p) throws IOException {
    String target = p.toAbsolutePath().toString();
    return Files.readAllLines(Path.of("/proc/self/mounts")).stream().anyMatch(l -> l.split(" ")[1].equals(target));
  }

  private static void mustRun(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out);
    }
  }
}
