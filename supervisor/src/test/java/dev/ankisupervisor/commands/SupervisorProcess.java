package dev.ankisupervisor.commands;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs {@code java -jar anki-supervisor.jar run ...} as a real process against the stand-in Anki,
 * in its own temp folder with an ephemeral port and short timings; logs go to a file the test can
 * wait on. {@link #close()} kills the supervisor and every process whose command line mentions the
 * temp folder (stand-ins and their helper children).
 */
final class SupervisorProcess implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(60);
  static final String JAR = System.getProperty("anki.supervisor.jar", "supervisor/target/anki-supervisor.jar");
  static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
  private static final ObjectMapper JSON = new ObjectMapper();
  static final List<String> SMALL_JVM =
      List.of("-XX:+UseSerialGC", "-Xms8m", "-Xmx64m", "-XX:TieredStopAtLevel=1", "-Xshare:auto");

  final Path dir;
  final Path base;
  final Path stateDir;
  final Path log;
  final int port;
  final Map<String, String> env = new HashMap<>();
  final List<String> extraArgs = new ArrayList<>();
  /** --bind's value. */
  private String bind = "127.0.0.1";
  /** Whether it runs in {@link #dir} with --base, --state-dir and --status-file relative to it. */
  private boolean relativeFolders;
  /** Words before {@code java} (e.g. setpriv to run as another user); none by default. */
  private final List<String> prefix = new ArrayList<>();
  private Process process;

  SupervisorProcess(Path dir) throws IOException {
    this(dir, freePort(), dir.resolve("supervisor.log"));
    installAnkiConnect(base, port);
  }

  /** A second supervisor on the same folder and port (a "next run"), logging to {@code log}. */
  SupervisorProcess(Path dir, int port, Path log) {
    this.dir = dir;
    this.base = dir.resolve("anki");
    this.stateDir = dir.resolve("state");
    this.log = log;
    this.port = port;
  }

  /** The stand-in Anki as a shell-words --anki-command. */
  static String standInCommand() {
    return JAVA + " " + String.join(" ", SMALL_JVM) + " -cp " + JAR + " dev.ankisupervisor.standin.StandIn anki";
  }

  SupervisorProcess env(String name, String value) {
    env.put(name, value);
    return this;
  }

  SupervisorProcess bind(String value) {
    bind = value;
    return this;
  }

  /** Runs the supervisor through {@code words} (e.g. {@code setpriv --reuid U ...}). */
  SupervisorProcess prefix(String... words) {
    prefix.addAll(List.of(words));
    return this;
  }

  /** Puts {@code words} before any prefix already given (an outer wrapper, e.g. {@code unshare}). */
  SupervisorProcess prefixFirst(String... words) {
    prefix.addAll(0, List.of(words));
    return this;
  }

  /** Runs the supervisor in {@link #dir}, naming its folders and files relative to it. */
  SupervisorProcess relativeFolders() {
    relativeFolders = true;
    return this;
  }

  /** A folder or file as the command line names it: relative to {@link #dir} with {@link #relativeFolders}. */
  private String named(Path p) {
    return relativeFolders ? dir.relativize(p).toString() : p.toString();
  }

  SupervisorProcess args(String... args) {
    extraArgs.addAll(List.of(args));
    return this;
  }

  /** Flags with values; {@link #set} replaces one (picocli refuses a single-value flag given twice). */
  private final Map<String, String> flags = new java.util.LinkedHashMap<>();

  {
    flags.put("--profile", "server");
    flags.put("--anki-command", standInCommand());
    flags.put("--start-timeout", "30s");
    flags.put("--stop-timeout", "10s");
    flags.put("--network-timeout", "5s");
    flags.put("--liveness-interval", "1s");
    flags.put("--liveness-misses", "3");
    flags.put("--restart-initial-delay", "200ms");
    flags.put("--restart-max-delay", "1s");
  }

  /** The next run on the same folder and port with the same flags, environment and prefix, logging to {@code log}. */
  SupervisorProcess again(Path log) {
    SupervisorProcess next = new SupervisorProcess(dir, port, log);
    next.flags.putAll(flags);
    next.env.putAll(env);
    next.extraArgs.addAll(extraArgs);
    next.prefix.addAll(prefix);
    next.bind = bind;
    return next;
  }

  SupervisorProcess set(String flag, String value) {
    flags.put(flag, value);
    return this;
  }

  List<String> command() {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.add(JAVA);
    cmd.addAll(SMALL_JVM);
    cmd.addAll(List.of("-jar", Path.of(JAR).toAbsolutePath().toString(), "run",
        "--base", named(base), "--bind", bind, "--connect-port", Integer.toString(port),
        "--state-dir", named(stateDir), "--status-file", named(stateDir.resolve("sync-status.json"))));
    flags.forEach((k, v) -> cmd.addAll(List.of(k, v)));
    cmd.addAll(extraArgs);
    return cmd;
  }

  SupervisorProcess start() throws IOException {
    Files.createDirectories(stateDir);
    ProcessBuilder pb = new ProcessBuilder(command()).redirectErrorStream(true).redirectOutput(log.toFile());
    if (relativeFolders) {
      pb.directory(dir.toFile());
    }
    pb.environment().keySet().removeIf(k -> k.startsWith("ANKI_SUPERVISOR_") || k.equals("NOTIFY_SOCKET")
        || k.startsWith("WATCHDOG_") || k.equals("JOURNAL_STREAM"));
    pb.environment().put("ANKI_SUPERVISOR_LOG_FORMAT", "plain");
    pb.environment().putAll(env);
    process = pb.start();
    return this;
  }

  Process process() {
    return process;
  }

  String log() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** How often {@code text} occurs in the log. */
  int count(String text) {
    String l = log();
    int n = 0;
    for (int i = l.indexOf(text); i >= 0; i = l.indexOf(text, i + 1)) {
      n++;
    }
    return n;
  }

  void awaitLog(String text) {
    awaitLog(text, 1);
  }

  void awaitLog(String text, int times) {
    awaitLog(text, times, WAIT);
  }

  void awaitLog(String text, int times, Duration within) {
    await().atMost(within).pollInterval(Duration.ofMillis(200))
        .alias("log line '" + text + "' x" + times + " in:\n" + dir)
        .until(() -> {
          if (count(text) >= times) {
            return true;
          }
          if (!process.isAlive()) {
            throw new AssertionError("supervisor exited " + process.exitValue() + " before '" + text + "':\n" + log());
          }
          return false;
        });
  }

  void awaitReady(int times) {
    awaitLog("-> ready", times);
  }

  /**
   * Waits until {@code probes} liveness probes answered after {@code since}: the status file is
   * rewritten after every answered probe with its time in {@code ankiConnect.lastProbeAt}, so each
   * new value seen is one more answer. Polled well within the 1 s interval; a value missed between
   * two polls only makes the wait longer. Fails when the supervisor exits first.
   */
  void awaitProbesAfter(Instant since, int probes) {
    Set<Instant> answered = ConcurrentHashMap.newKeySet(); // filled on Awaitility's polling thread
    await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
        .alias(probes + " liveness probes answered after " + since + " in " + stateDir)
        .until(() -> {
          lastProbeAt().filter(at -> at.isAfter(since)).ifPresent(answered::add);
          if (answered.size() >= probes) {
            return true;
          }
          if (!process.isAlive()) {
            throw new AssertionError("supervisor exited " + process.exitValue() + " after " + answered.size()
                + " of " + probes + " probes:\n" + log());
          }
          return false;
        });
  }

  /** {@code ankiConnect.lastProbeAt} of the status file now; empty while unwritten, null or mid-replace. */
  private Optional<Instant> lastProbeAt() {
    return read(stateDir.resolve("sync-status.json")).flatMap(text -> {
      try {
        JsonNode at = JSON.readTree(text).path("ankiConnect").path("lastProbeAt");
        return at.isTextual() ? Optional.of(Instant.parse(at.asText())) : Optional.empty();
      } catch (IOException e) {
        return Optional.empty();
      }
    });
  }

  /** The pid the pidfile names now. */
  long ankiPid() throws IOException {
    return Long.parseLong(Files.readString(stateDir.resolve("anki.pid")).strip().split("\\s+")[0]);
  }

  int awaitExit() throws InterruptedException {
    if (!process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
      throw new AssertionError("supervisor still running after " + WAIT + ":\n" + log());
    }
    return process.exitValue();
  }

  void sigterm() {
    signal(process.pid(), "TERM");
  }

  static void signal(long pid, String sig) {
    try {
      new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start().waitFor();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Live processes (not zombies) whose command line or environment mentions our folder, other than the supervisor. */
  List<Long> leftovers() {
    List<Long> out = new ArrayList<>();
    String marker = dir.toString();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        long pid = Long.parseLong(p.getFileName().toString());
        if (process != null && pid == process.pid()) {
          continue;
        }
        try {
          String stat = Files.readString(p.resolve("stat"));
          if (stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z")) {
            continue;
          }
          String cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
          String environ = readable(p.resolve("environ"));
          if (cmdline.contains(marker) || environ.contains(marker)) {
            out.add(pid);
          }
        } catch (IOException | RuntimeException e) {
          // gone meanwhile
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  private static String readable(Path p) {
    try {
      return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() throws Exception {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(20, TimeUnit.SECONDS);
    }
    awaitNoLeftovers();
  }

  /**
   * SIGKILLs every leftover until none is left (a helper may start a child while its parent is being
   * killed, so one pass is not enough); fails naming them when some outlive the bound.
   */
  private void awaitNoLeftovers() {
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
        .alias("no process mentioning " + dir + " left")
        .until(() -> {
          List<Long> left = leftovers();
          left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
          return left.isEmpty();
        });
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  /** AnkiConnect installed from AnkiWeb (A1): its folder with the stock config.json. */
  static void installAnkiConnect(Path base, int port) throws IOException {
    Path addon = base.resolve("addons21").resolve("2055492159");
    Files.createDirectories(addon);
    Files.writeString(addon.resolve("config.json"), "{\"apiKey\": null, \"apiLogPath\": null,"
        + " \"webBindAddress\": \"127.0.0.1\", \"webBindPort\": " + port + ","
        + " \"webCorsOriginList\": [\"http://localhost\"], \"ignoreOriginList\": []}\n");
  }

  static Optional<String> read(Path p) {
    try {
      return Optional.of(Files.readString(p));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
