package dev.ankisupervisor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Installs the add-on real Anki loads as AnkiConnect into {@code <base>/addons21/<dir>}: the real
 * AnkiConnect 25.11.9.0 with our {@code patches/} applied, when {@code ANKICONNECT_SRC} names a
 * checkout of devsdocs/anki-connect at 532a3c8 (its {@code plugin/} is copied, each patch applied with
 * {@code patch -p2} inside the copy); otherwise our test add-on (supervisor/src/test/resources/real-anki/addon/,
 * another folder with {@code -Dreal.anki.addon} or {@code REAL_ANKI_ADDON}), which answers the
 * actions the supervisor uses as AnkiConnect + P1/P2 do.
 */
public enum RealAnkiAddon {
  /** The real AnkiConnect + patches (needs ANKICONNECT_SRC). */
  ANKICONNECT,
  /** Our Python test add-on. */
  TEST_ADDON;

  private static final Path PATCHES = Path.of("patches");

  /** ANKICONNECT when ANKICONNECT_SRC is set, else TEST_ADDON. */
  public static RealAnkiAddon chosen() {
    return ankiConnectSource() == null ? TEST_ADDON : ANKICONNECT;
  }

  /** {@code ANKICONNECT_SRC}, or null when unset or blank. */
  public static Path ankiConnectSource() {
    String src = System.getenv("ANKICONNECT_SRC");
    return src == null || src.isBlank() ? null : Path.of(src);
  }

  /** Why this add-on cannot be installed here, or null when it can. */
  public String missing() {
    if (this == ANKICONNECT) {
      Path src = ankiConnectSource();
      if (src == null) {
        return "ANKICONNECT_SRC is not set (a checkout of devsdocs/anki-connect at 532a3c8)";
      }
      return Files.isRegularFile(src.resolve("plugin/__init__.py")) ? null
          : "ANKICONNECT_SRC=" + src + " has no plugin/__init__.py";
    }
    return Files.isRegularFile(testAddon().resolve("__init__.py")) ? null
        : "the test add-on " + testAddon().toAbsolutePath() + " has no __init__.py";
  }

  /** Copies the add-on into {@code <base>/addons21/<dirName>} (replacing files of the same name) and returns that folder. */
  public Path install(Path base, String dirName) throws IOException, InterruptedException {
    String why = missing();
    if (why != null) {
      throw new AssertionError("cannot install " + this + ": " + why);
    }
    Path target = base.resolve("addons21").resolve(dirName);
    copyTree(this == ANKICONNECT ? ankiConnectSource().resolve("plugin") : testAddon(), target);
    if (this == ANKICONNECT) {
      for (Path patch : patches()) {
        applyPatch(patch, target);
      }
    }
    return target;
  }

  /** The patch files of the repository, in name order. */
  public static List<Path> patches() throws IOException {
    try (Stream<Path> s = Files.list(PATCHES)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".patch")).sorted().toList();
    }
  }

  static Path testAddon() {
    String dir = System.getProperty("real.anki.addon", System.getenv("REAL_ANKI_ADDON"));
    return dir == null || dir.isBlank() ? Path.of("supervisor/src/test/resources/real-anki/addon") : Path.of(dir);
  }

  private static void applyPatch(Path patch, Path dir) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("patch", "-p2", "--batch", "--forward", "--no-backup-if-mismatch",
        "-i", patch.toAbsolutePath().toString()).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError(patch + " does not apply with patch -p2 inside " + dir
          + " (is ANKICONNECT_SRC at commit 532a3c8?):\n" + out);
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.filter(p -> !p.toString().contains("__pycache__")).toList()) {
        Path dest = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
