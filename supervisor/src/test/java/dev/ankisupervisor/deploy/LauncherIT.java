package dev.ankisupervisor.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * launcher/anki-supervisor as a real process: it exec()s the JVM (so systemd's
 * main PID is the JVM), ANKI_SUPERVISOR_JAVA_OPTS replaces every default flag, and a missing or
 * old Java ends with exit 78 and a one-line reason. The application class-data archive is made on
 * a command's first use, used from then on, and a corrupt one or an unwritable folder never stops a
 * command (a truncated or overwritten archive that the JVM mapped would abort it with SIGABRT).
 */
class LauncherIT {
  private static final Path LAUNCHER = Path.of("launcher/anki-supervisor").toAbsolutePath();
  private static final Path JAR = Path.of(System.getProperty("anki.supervisor.jar", "supervisor/target/anki-supervisor.jar"));

  @TempDir Path tmp;
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void killEverything() throws InterruptedException {
    for (Process p : started) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void printsTheVersionThroughTheJar() throws Exception {
    Result r = run(Map.of());
    assertThat(r.exitCode).as(r.err).isZero();
    assertThat(r.out).startsWith("anki-supervisor ");
  }

  @Test
  void execsSoThePidItWasStartedWithIsTheJvmRunningOnlyTheGivenFlags() throws Exception {
    // -XX:+PauseAtStartup makes the JVM wait until the file vm.paused.<its pid> in its working
    // folder is deleted: the file's name tells the JVM's pid, and the pause lets us look at it.
    String opts = "-Xmx37m -XX:+UnlockDiagnosticVMOptions -XX:+PauseAtStartup";
    Process p = start(Map.of("ANKI_SUPERVISOR_JAVA_OPTS", opts), "--version");
    await().atMost(Duration.ofSeconds(60)).until(() -> pauseFile().isPresent() || !p.isAlive());
    Path pauseFile = pauseFile().orElseThrow();
    assertThat(pauseFile.getFileName().toString())
        .as("the JVM has the pid the launcher was started with (exec)").isEqualTo("vm.paused." + p.pid());
    assertThat(Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "exe")).getFileName().toString())
        .isEqualTo("java");
    List<String> argv = List.of(new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline")),
        StandardCharsets.UTF_8).split("\0"));
    // Exactly our flags: none of the launcher's defaults is added.
    assertThat(argv.subList(1, argv.indexOf("-jar"))).containsExactly(opts.split(" "));
    Files.delete(pauseFile);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
  }

  @Test
  void classDataArchiveIsMadeOnFirstUseThenMappedByEveryStart() throws Exception {
    Path cache = tmp.resolve("cache");
    Map<String, String> env = Map.of("XDG_CACHE_HOME", cache.toString());
    assertThat(run(env).exitCode).isZero(); // the JVM writes the archive as it exits
    assertThat(run(env).exitCode).isZero(); // checked and renamed into place
    Path archive = archive(cache.resolve("anki-supervisor"));
    assertThat(argvOfPausedJvm(env)).contains("-XX:SharedArchiveFile=" + archive);
  }

  @Test
  void archivesAreMappedWhereTheyWereDumpedNotRelocated() throws Exception {
    Path cache = tmp.resolve("cache");
    Map<String, String> env = Map.of("XDG_CACHE_HOME", cache.toString());
    assertThat(run(env).exitCode).isZero();
    assertThat(run(env).exitCode).isZero();
    Path log = tmp.resolve("cds.log");
    Result r = run(Map.of("XDG_CACHE_HOME", cache.toString(),
        "ANKI_SUPERVISOR_EXTRA_JAVA_OPTS", "-Xlog:cds=info:file=" + log));
    assertThat(r.exitCode).as(r.err).isZero();
    // Relocating rewrites every pointer of both archives (CPU at each start, and the pages become
    // private memory); the JVM logs this line whenever it does.
    assertThat(Files.readString(log)).contains("Mapped dynamic region")
        .doesNotContain("map archive(s) at an alternative address");
  }

  @Test
  void corruptTruncatedOrUnwritableArchivesNeverStopACommand() throws Exception {
    Path dir = tmp.resolve("cds");
    Map<String, String> env = Map.of("ANKI_SUPERVISOR_CDS_DIR", dir.toString());
    run(env);
    run(env);
    Path archive = archive(dir);
    long size = Files.size(archive);
    // Garbage over the middle, the size kept: the JVM would map it and abort.
    archive.toFile().setWritable(true);
    try (var f = new java.io.RandomAccessFile(archive.toFile(), "rw")) {
      f.seek(size / 4);
      f.write(new byte[(int) (size / 2)]);
    }
    assertRunsFine(env);
    assertThat(archive).doesNotExist();
    run(env);
    run(env);
    // Cut short.
    archive = archive(dir);
    archive.toFile().setWritable(true);
    try (var f = new java.io.RandomAccessFile(archive.toFile(), "rw")) {
      f.setLength(Files.size(archive) / 2);
    }
    assertRunsFine(env);
    // All garbage, another size.
    run(env);
    archive = archive(dir);
    archive.toFile().setWritable(true);
    Files.write(archive, new byte[4096]);
    assertRunsFine(env);
    // Folders that cannot be written: read-only for a user, /proc even for root.
    Path readOnly = Files.createDirectories(tmp.resolve("read-only"));
    readOnly.toFile().setWritable(false, false);
    assertRunsFine(Map.of("ANKI_SUPERVISOR_CDS_DIR", readOnly.toString()));
    assertRunsFine(Map.of("ANKI_SUPERVISOR_CDS_DIR", "/proc/anki-supervisor-cds"));
    // Switched off: no archive flag at all.
    assertThat(argvOfPausedJvm(Map.of("ANKI_SUPERVISOR_CDS_DIR", dir.toString(), "ANKI_SUPERVISOR_CDS", "off")))
        .noneMatch(a -> a.contains("SharedArchiveFile") || a.contains("ArchiveClassesAtExit"));
  }

  @Test
  void tempArchivesOfOtherJarsAndOldArchivesAreDeletedOnlyWhenTheirJvmIsGone() throws Exception {
    Path dir = tmp.resolve("cds");
    Map<String, String> env = Map.of("ANKI_SUPERVISOR_CDS_DIR", dir.toString());
    Files.createDirectories(dir);
    // another jar's leftovers: a finished dump (its JVM gone), one being written (its JVM alive), an old archive
    Process alive = new ProcessBuilder("sleep", "60").start();
    started.add(alive);
    Path deadTemp = Files.write(dir.resolve(".app-111-status.999999999.jsa"), new byte[1024]);
    Path deadMark = Files.write(dir.resolve(".app-111-run.999999998.ready"), new byte[0]);
    Path liveTemp = Files.write(dir.resolve(".app-111-run." + alive.pid() + ".jsa"), new byte[1024]);
    Path oldArchive = Files.write(dir.resolve("app-111-status.jsa"), new byte[1024]);
    Path oldStamp = Files.write(dir.resolve("app-111-status.ok"), "1024 1 2 3;\n".getBytes(StandardCharsets.UTF_8));
    assertRunsFine(env); // dumps its own
    assertThat(deadTemp).as("a dead JVM's temp archive of another key").doesNotExist();
    assertThat(deadMark).doesNotExist();
    assertThat(liveTemp).as("a live JVM may still be writing it").exists();
    assertRunsFine(env); // places its own: the other key's archives (every command) go
    assertThat(oldArchive).doesNotExist();
    assertThat(oldStamp).doesNotExist();
    assertThat(archive(dir).getFileName().toString()).endsWith("-other.jsa");
    assertThat(liveTemp).exists();
  }

  @Test
  void aRunThatNeverSawAnkiReadyLeavesNoArchiveBehind() throws Exception {
    Path dir = tmp.resolve("cds");
    Map<String, String> env = Map.of("ANKI_SUPERVISOR_CDS_DIR", dir.toString());
    // a configuration error: run ends at once (78), long before any Anki
    String[] failing = {"run", "--base", tmp.resolve("base").toString(), "--anki-command", "/nonexistent/anki",
        "--state-dir", tmp.resolve("state").toString(), "--bind", "127.0.0.1", "--restart-initial-delay", "nonsense"};
    assertThat(run(env, failing).exitCode).isNotZero();
    try (var files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString()).toList())
          .as("the JVM dumped its archive at exit, with no ready mark").anyMatch(n -> n.matches("\\.app-.*-run\\.\\d+\\.jsa"))
          .noneMatch(n -> n.endsWith(".ready"));
    }
    assertThat(run(env, failing).exitCode).isNotZero();
    try (var files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString()).toList())
          .as("the poor archive was dropped, not placed").noneMatch(n -> n.matches("app-.*-run\\.(jsa|ok)"));
    }
    // the same archive with the mark that a run which saw Anki ready leaves: placed and mapped
    try (var files = Files.list(dir)) {
      Path temp = files.filter(f -> f.getFileName().toString().matches("\\.app-.*-run\\.\\d+\\.jsa")).findFirst().orElseThrow();
      Files.createFile(Path.of(temp.toString().replaceFirst("\\.jsa$", ".ready")));
    }
    assertThat(run(env, "run", "--version").exitCode).isZero();
    try (var files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString()).toList()).anyMatch(n -> n.matches("app-.*-run\\.jsa"))
          .noneMatch(n -> n.endsWith(".ready"));
    }
  }

  private void assertRunsFine(Map<String, String> env) throws Exception {
    Result r = run(env);
    assertThat(r.exitCode).as(r.err).isZero();
    assertThat(r.out).startsWith("anki-supervisor ");
    assertThat(r.err).isEmpty();
  }

  /** The one archive in {@code dir}. */
  private static Path archive(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      List<Path> archives = files.filter(f -> f.getFileName().toString().matches("app-.*\\.jsa")).toList();
      assertThat(archives).hasSize(1);
      return archives.get(0);
    }
  }

  /** The argv of the JVM the launcher starts (paused at start), with the launcher's default flags. */
  private List<String> argvOfPausedJvm(Map<String, String> env) throws Exception {
    Map<String, String> all = new java.util.HashMap<>(env);
    all.put("ANKI_SUPERVISOR_EXTRA_JAVA_OPTS", "-XX:+UnlockDiagnosticVMOptions -XX:+PauseAtStartup");
    Process p = start(all, "--version");
    await().atMost(Duration.ofSeconds(60)).until(() -> pauseFile().isPresent() || !p.isAlive());
    List<String> argv = List.of(new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline")),
        StandardCharsets.UTF_8).split("\0"));
    Files.delete(pauseFile().orElseThrow());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return argv;
  }

  /**
   * A NixOS service's PATH: GNU coreutils, findutils, grep, sed (and systemd), which is also all the
   * Nix package's wrapper adds (with util-linux). No awk: the archive must still be made and used,
   * with nothing on stderr.
   */
  @Test
  void classDataArchiveIsMadeWithOnlyTheToolsOfANixosServicePath() throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("nixos-bin"));
    for (String tool : NixosLikeInstall.COREUTILS) {
      Path real = Files.exists(Path.of("/usr/bin", tool)) ? Path.of("/usr/bin", tool) : Path.of("/bin", tool);
      if (Files.exists(real)) {
        Files.createSymbolicLink(bin.resolve(tool), real);
      }
    }
    for (String tool : List.of("sed", "grep", "find", "xargs")) {
      Path real = Files.exists(Path.of("/usr/bin", tool)) ? Path.of("/usr/bin", tool) : Path.of("/bin", tool);
      Files.createSymbolicLink(bin.resolve(tool), real);
    }
    assertThat(bin.resolve("awk")).doesNotExist();
    Path cache = tmp.resolve("cache");
    Map<String, String> env = Map.of("PATH", bin.toString(), "JAVA_HOME", System.getProperty("java.home"),
        "ANKI_SUPERVISOR_CDS_DIR", cache.toString());
    Result first = run(env);
    assertThat(first.exitCode).isZero();
    assertThat(first.err).isEmpty();
    Result second = run(env);
    assertThat(second.exitCode).isZero();
    assertThat(second.err).isEmpty();
    Path archive = archive(cache);
    assertThat(argvOfPausedJvm(env)).contains("-XX:SharedArchiveFile=" + archive);
  }

  /**
   * On Java 24+ (NixOS 26.05's default) a whole run (SQLite, jnr's native calls, a SIGTERM stop)
   * prints none of the JVM's restricted-method or sun.misc.Unsafe warnings, in the supervisor or in
   * the stand-in Anki it launches through the same launcher. Needs a JDK 24+: -Danki.test.java24=HOME,
   * else the first /usr/lib/jvm/*-2[4-9]* found; skipped without one.
   */
  @Test
  void onJava24AndLaterARunPrintsNoRestrictedMethodOrUnsafeWarnings() throws Exception {
    Path home = java24Home();
    org.junit.jupiter.api.Assumptions.assumeTrue(home != null, "no JDK 24+ here (-Danki.test.java24=HOME)");
    Path base = tmp.resolve("base");
    Files.createDirectories(base.resolve("addons21/2055492159"));
    int port = dev.ankisupervisor.testing.FreePort.find();
    Files.writeString(base.resolve("addons21/2055492159/config.json"), "{\"apiKey\": null, \"webBindAddress\": \"127.0.0.1\","
        + " \"webBindPort\": " + port + ", \"webCorsOriginList\": [\"http://localhost\"]}");
    Map<String, String> env = Map.of("JAVA_HOME", home.toString(), "ANKI_SUPERVISOR_LOG_FORMAT", "plain");
    Process p = start(env, "run", "--base", base.toString(), "--bind", "127.0.0.1", "--connect-port", Integer.toString(port),
        "--state-dir", tmp.resolve("state").toString(), "--status-file", tmp.resolve("state/status.json").toString(),
        "--sync-interval", "0", "--no-sync-on-start", "--anki-command", LAUNCHER.resolveSibling("anki-standin") + " anki");
    int n = started.size() - 1;
    java.util.concurrent.Callable<String> output = () -> Files.readString(tmp.resolve("out-" + n)) + Files.readString(tmp.resolve("err-" + n));
    await().atMost(Duration.ofSeconds(60)).until(() -> output.call().contains("-> ready") || !p.isAlive());
    assertThat(output.call()).contains("-> ready");
    new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(output.call()).contains("Anki exited cleanly").doesNotContain("WARNING:");
  }

  /**
   * `backup` gets compiler flags of its own (docs/performance.md): every installed Java must accept
   * them, and with --json stdout must stay the one summary line (the JIT's CompileCommand notices
   * would go there unless quiet).
   */
  @Test
  void backupRunsWithItsCompilerFlagsOnJava17AndOnJava24AndLater() throws Exception {
    Path source = Files.createDirectories(tmp.resolve("sync/user"));
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + source.resolve("collection.anki2"));
        java.sql.Statement st = c.createStatement()) {
      st.execute("create table notes (id integer primary key, flds text)");
      st.execute("insert into notes (flds) values ('front')");
    }
    Files.createDirectories(source.resolve("media"));
    Files.writeString(source.resolve("media/a.jpg"), "picture");
    List<Map<String, String>> javas = new ArrayList<>(List.of(Map.of()));
    Path java24 = java24Home();
    if (java24 != null) {
      javas.add(Map.of("JAVA_HOME", java24.toString()));
    }
    for (Map<String, String> env : javas) {
      Result r = run(env, "backup", "--source", tmp.resolve("sync").toString(), "--dest",
          tmp.resolve("backups-" + env.size()).toString(), "--json");
      assertThat(r.exitCode).as(env + ": " + r.err).isZero();
      assertThat(r.out.strip().lines()).as(env.toString()).hasSize(1);
      assertThat(r.out.strip()).startsWith("{\"path\":").contains("\"databases\":1");
      assertThat(r.err).as(env.toString()).isEmpty();
    }
  }

  private static Path java24Home() throws IOException {
    String given = System.getProperty("anki.test.java24");
    if (given != null) {
      return Path.of(given);
    }
    Path jvms = Path.of("/usr/lib/jvm");
    if (!Files.isDirectory(jvms)) {
      return null;
    }
    try (var homes = Files.list(jvms)) {
      return homes.filter(h -> h.getFileName().toString().matches(".*-(2[4-9]|[3-9][0-9])([.-].*)?")
          && Files.isExecutable(h.resolve("bin/java"))).sorted().findFirst().orElse(null);
    }
  }

  @Test
  void missingJavaExitsWithConfigErrorAndSaysHowToFix() throws Exception {
    // A PATH with the tools the script needs but no java, and no JAVA_HOME.
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    for (String tool : List.of("dirname", "readlink", "sed", "cut", "cksum", "ls", "mkdir", "stat", "tail", "cat",
        "df", "awk", "mv", "rm")) {
      Path real = Path.of("/usr/bin", tool);
      Files.createSymbolicLink(bin.resolve(tool), Files.exists(real) ? real : Path.of("/bin", tool));
    }
    Result r = run(Map.of("PATH", bin.toString()), "--version");
    assertThat(r.exitCode).isEqualTo(78);
    assertThat(r.err.strip()).startsWith("anki-supervisor: no java found").contains("Java 17+").contains("JAVA_HOME");
    assertThat(r.err.strip().lines()).hasSize(1);
  }

  @Test
  void javaOlderThan17IsRefusedWithItsVersionNamed() throws Exception {
    Path home = Files.createDirectories(tmp.resolve("jdk11/bin"));
    Path java = home.resolve("java");
    Files.writeString(java, "#!/bin/sh\necho should-not-run\n");
    java.toFile().setExecutable(true);
    Files.writeString(tmp.resolve("jdk11/release"), "JAVA_VERSION=\"11.0.2\"\n");
    Result r = run(Map.of("JAVA_HOME", tmp.resolve("jdk11").toString()), "--version");
    assertThat(r.exitCode).isEqualTo(78);
    assertThat(r.err).contains("Java 11").contains("Java 17+ is needed");
    assertThat(r.out).doesNotContain("should-not-run");
  }

  /**
   * A JVM refuses to start with a flag it does not know: native-heap trimming is passed only to the
   * Javas that have it (17.0.9+, 21.0.1+, 22+), told by the release file alone; the young generation's
   * size to every command but {@code backup}.
   */
  @Test
  void nativeHeapTrimmingOnlyForJavasThatKnowTheFlag() throws Exception {
    Map<String, Boolean> trims = new java.util.LinkedHashMap<>();
    trims.put("17", false);
    trims.put("17.0.8", false);
    trims.put("17.0.9", true);
    trims.put("17.0.15", true);
    trims.put("18.0.2", false);
    trims.put("20.0.2", false);
    trims.put("21", false);
    trims.put("21.0.1", true);
    trims.put("22", true);
    trims.put("25.0.3", true);
    for (var e : trims.entrySet()) {
      List<String> argv = fakeJavaArgv(e.getKey(), "status");
      assertThat(argv.contains("-XX:TrimNativeHeapInterval=30000")).as("trimming on Java %s", e.getKey())
          .isEqualTo(e.getValue());
      assertThat(argv).as("Java %s", e.getKey()).contains("-Xmn1m", "-XX:+UnlockExperimentalVMOptions");
    }
    assertThat(fakeJavaArgv("17.0.15", "backup")).doesNotContain("-Xmn1m");
  }

  /** The argv the launcher gives a stand-in {@code bin/java} (it prints it) whose release file says {@code version}. */
  private List<String> fakeJavaArgv(String version, String command) throws Exception {
    Path home = tmp.resolve("jdk-" + version);
    Files.createDirectories(home.resolve("bin"));
    Path java = home.resolve("bin/java");
    Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n");
    java.toFile().setExecutable(true);
    Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
    Result r = run(Map.of("JAVA_HOME", home.toString(), "ANKI_SUPERVISOR_CDS", "off"), command);
    assertThat(r.exitCode).as(r.err).isZero();
    return r.out.lines().toList();
  }

  private java.util.Optional<Path> pauseFile() throws IOException {
    try (var files = Files.list(tmp)) {
      return files.filter(f -> f.getFileName().toString().startsWith("vm.paused.")).findFirst();
    }
  }

  private Process start(Map<String, String> env, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(LAUNCHER.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
    pb.environment().remove("JAVA_HOME");
    pb.environment().remove("ANKI_SUPERVISOR_JAVA_OPTS");
    pb.environment().remove("ANKI_SUPERVISOR_CDS_DIR");
    pb.environment().remove("CACHE_DIRECTORY");
    pb.environment().put("XDG_CACHE_HOME", tmp.resolve("xdg-cache").toString());
    pb.environment().put("ANKI_SUPERVISOR_JAR", JAR.toAbsolutePath().toString());
    pb.environment().putAll(env);
    pb.redirectOutput(tmp.resolve("out-" + started.size()).toFile());
    pb.redirectError(tmp.resolve("err-" + started.size()).toFile());
    Process p = pb.start();
    started.add(p);
    return p;
  }

  private Result run(Map<String, String> env, String... args) throws Exception {
    int n = started.size();
    Process p = start(env, args.length == 0 ? new String[] {"--version"} : args);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("launcher finished").isTrue();
    return new Result(p.exitValue(), Files.readString(tmp.resolve("out-" + n)), Files.readString(tmp.resolve("err-" + n)));
  }

  private record Result(int exitCode, String out, String err) {}
}
