package dev.ankisupervisor.deploy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The cached Debian 12 root that {@link SystemdContainer} boots: built once per machine by
 * {@code supervisor/src/test/nspawn/build-root.sh} (debootstrap from the mirror apt already uses, see
 * {@link DebianMirror}) into {@code <cache>/root-<key>}, where the key hashes the script and the
 * package list, so a change to either builds a new root. The build goes into a temporary folder that
 * is renamed only when it succeeded: an interrupted build is never used, and the next run deletes it.
 * A file lock makes parallel test JVMs wait for one build instead of making two. Containers never
 * write here: each boots an overlay of its own (see {@link SystemdContainer}).
 */
final class ContainerRoot {
  /**
   * What the tests need in the root: systemd as init, a Java 17 JRE for the jar, the tools the tests
   * call, and PyQt6's QtWebEngine with libgl1 for the stand-in's real Chromium view.
   */
  static final List<String> PACKAGES = List.of("systemd", "systemd-sysv", "openjdk-17-jre-headless", "iproute2", "procps",
      "sqlite3", "python3-pyqt6.qtwebengine", "libgl1");
  static final String SUITE = "bookworm";
  static final Path RECIPE = Path.of("supervisor/src/test/nspawn/build-root.sh").toAbsolutePath();
  /** The cache folder; -Danki.nspawn.cache moves it. */
  static final Path CACHE = Path.of(System.getProperty("anki.nspawn.cache", "/var/tmp/anki-supervisor-nspawn"));
  /** How long one build may take (about 280 packages: debootstrap's base, then apt in the root); -Danki.nspawn.build-timeout=SECONDS. */
  static final Duration BUILD_TIMEOUT = Duration.ofSeconds(Long.getLong("anki.nspawn.build-timeout", 1200));

  private ContainerRoot() {}

  /** Why the container tests cannot run on this machine, or empty when they can. */
  static Optional<String> whyUnavailable() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return Optional.of("needs root (systemd-nspawn, mount, nsenter)");
    }
    for (String tool : List.of("systemd-nspawn", "debootstrap", "nsenter", "setpriv", "mount")) {
      if (!onPath(tool)) {
        return Optional.of(tool + " not found on PATH; install systemd-container, debootstrap and util-linux");
      }
    }
    if (!Files.isRegularFile(RECIPE)) {
      return Optional.of("build recipe " + RECIPE + " not found; run the tests from the project folder");
    }
    return Optional.empty();
  }

  /** The root folder, built now if this machine has none for the current recipe and package list. */
  static Path get() throws IOException, InterruptedException {
    Files.createDirectories(CACHE);
    Path root = CACHE.resolve("root-" + key());
    try (FileChannel ch = FileChannel.open(CACHE.resolve("build.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = ch.lock()) {
      if (Files.isDirectory(root)) {
        return root;
      }
      removeStale(root);
      build(root);
      return root;
    }
  }

  private static void build(Path root) throws IOException, InterruptedException {
    String mirror = DebianMirror.of(Path.of("/etc/apt"), SUITE).orElseThrow(() -> new IllegalStateException(
        "no Debian " + SUITE + " mirror in /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list;"
            + " the container root is built from the mirror apt uses"));
    Path tmp = CACHE.resolve(root.getFileName() + ".building-" + ProcessHandle.current().pid());
    Path log = CACHE.resolve(root.getFileName() + ".build.log");
    List<String> cmd = new ArrayList<>(List.of("sh", RECIPE.toString(), tmp.toString(), mirror));
    cmd.addAll(PACKAGES);
    long t0 = System.nanoTime();
    System.out.println("[nspawn] building the container root " + root + " from " + mirror + " (log " + log + ")");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(BUILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new IllegalStateException("building the container root took longer than " + BUILD_TIMEOUT + "; see " + log);
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException("building the container root failed (exit " + p.exitValue() + "); see " + log);
    }
    Files.move(tmp, root); // same folder: an atomic rename
    long seconds = Duration.ofNanos(System.nanoTime() - t0).toSeconds();
    // .ci/run prints it: the one-off cost of a fresh machine.
    Files.writeString(CACHE.resolve(root.getFileName() + ".build-seconds"), seconds + "\n");
    System.out.printf("[nspawn] container root built in %d s%n", seconds);
  }

  /** Half-built folders of interrupted builds, roots of older recipes and their logs (the build lock is held). */
  private static void removeStale(Path keep) throws IOException, InterruptedException {
    try (var entries = Files.list(CACHE)) {
      for (Path p : entries.filter(p -> p.getFileName().toString().startsWith("root-") && !p.equals(keep)).toList()) {
        rmrf(p);
      }
    }
  }

  static void rmrf(Path p) throws IOException, InterruptedException {
    // --one-file-system: never follow into a mount left inside (a container's /proc, say).
    Process rm = new ProcessBuilder("rm", "-rf", "--one-file-system", p.toString()).inheritIO().start();
    if (!rm.waitFor(5, TimeUnit.MINUTES) || rm.exitValue() != 0) {
      throw new IOException("could not remove " + p);
    }
  }

  /** The recipe's text and the package list, hashed: the root's name. */
  static String key() throws IOException {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(Files.readAllBytes(RECIPE));
      sha.update(String.join("\n", SUITE, String.join(" ", PACKAGES)).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
  }
}
