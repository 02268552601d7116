package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ankisupervisor.testing.AddonDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --addon-source} (N1-N4) through real processes: the jar's {@code prepare} and {@code run}
 * against a read-only source laid out like nixpkgs' add-on derivation
 * ({@code <out>/share/anki/addons/anki-connect}, 0444 files, 0555 folders) and its {@code withConfig}
 * variant (every file a symlink into the store, {@code meta.json} a store symlink, an empty
 * {@code user_files/}). As root, whose writes ignore 0444, the source is also a read-only bind mount
 * in a private mount namespace, so any write into it fails the run.
 */
class AddonSourceIT {
  @TempDir Path dir;

  /** A store-like add-on: returns the folder holding __init__.py (what --addon-source names). */
  private Path storeAddon(String name, Map<String, String> files) throws IOException {
    Path root = dir.resolve("store").resolve(name).resolve("share/anki/addons/anki-connect");
    for (var e : files.entrySet()) {
      Path f = root.resolve(e.getKey());
      Files.createDirectories(f.getParent());
      Files.writeString(f, e.getValue());
    }
    return root;
  }

  /** nixpkgs' withConfig: a symlinkJoin of {@code addon} plus a store meta.json and user_files/ (N2). */
  private Path withConfig(Path addon) throws IOException {
    Path root = dir.resolve("store/with-config/share/anki/addons/anki-connect");
    try (Stream<Path> walk = Files.walk(addon)) {
      for (Path p : walk.toList()) {
        Path to = root.resolve(addon.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.createSymbolicLink(to, p);
        }
      }
    }
    Path meta = dir.resolve("store/meta-json");
    Files.writeString(meta, "{\"config\": {\"webBindAddress\": \"10.0.0.1\"}}");
    Files.createSymbolicLink(root.resolve("meta.json"), meta);
    Files.createDirectories(root.resolve("user_files"));
    return root;
  }

  private void makeReadOnly() throws IOException {
    try (Stream<Path> walk = Files.walk(dir.resolve("store"))) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        if (!Files.isSymbolicLink(p)) {
          Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "r-xr-xr-x" : "r--r--r--"));
        }
      }
    }
  }

  private static Map<String, String> version1() {
    return Map.of("__init__.py", "# AnkiConnect v1\n", "config.json", "{\"webBindPort\": 8765}\n",
        "web/a.js", "a1", "web/old.js", "old");
  }

  private static Map<String, String> version2() {
    return Map.of("__init__.py", "# AnkiConnect v2, patched\n", "config.json", "{\"webBindPort\": 8765}\n",
        "web/a.js", "a2", "util.py", "u");
  }

  /** Every file (links followed) under {@code root}, relative path -> content; for before/after comparisons. */
  private static Map<String, String> tree(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        out.put(root.relativize(p).toString(), Files.readString(p));
      }
    }
    return out;
  }

  private record Result(int code, String output) {}

  /** Runs the jar; as root inside a private mount namespace with the store bind-mounted read-only. */
  private Result jar(String... args) throws Exception {
    List<String> java = new ArrayList<>(List.of(SupervisorProcess.JAVA));
    java.addAll(SupervisorProcess.SMALL_JVM);
    java.addAll(List.of("-jar", SupervisorProcess.JAR));
    java.addAll(List.of(args));
    List<String> cmd = new ArrayList<>();
    if (isRoot()) {
      String store = dir.resolve("store").toString();
      cmd.addAll(List.of("unshare", "-m", "sh", "-c", "mount --bind \"$0\" \"$0\" && mount -o remount,bind,ro \"$0\""
          + " && echo 'x' > \"$0/probe\" 2>/dev/null && { echo 'store is writable'; exit 99; }; exec \"$@\"", store));
    }
    cmd.addAll(java);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("ANKI_SUPERVISOR_") || k.equals("NOTIFY_SOCKET"));
    pb.environment().put("ANKI_SUPERVISOR_LOG_FORMAT", "plain");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out);
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private Result prepare(Path base, Path source) throws Exception {
    return jar("prepare", "--base", base.toString(), "--bind", "127.0.0.1", "--connect-port", "18765",
        "--state-dir", dir.resolve("state").toString(), "--addon-source", source.toString());
  }

  @Test
  void prepareMakesTheAddonFolderMatchAReadOnlyStoreFolderAndKeepsOurFiles() throws Exception {
    Path base = dir.resolve("anki");
    Path target = AddonDir.folder(base);
    // What an earlier install left: a stale file, a changed file, our settings and the add-on's data.
    Files.createDirectories(target.resolve("user_files"));
    Files.createDirectories(target.resolve("__pycache__"));
    Files.writeString(target.resolve("__init__.py"), "# some other AnkiConnect\n");
    Files.writeString(target.resolve("stale.py"), "gone soon");
    Files.writeString(target.resolve("meta.json"), "{\"name\": \"AnkiConnect\", \"config\": {\"ignoreOriginList\": [\"x\"]}}");
    Files.writeString(target.resolve("user_files/notes.txt"), "mine");
    Files.writeString(target.resolve("__pycache__/x.pyc"), "cache");
    Path v1 = withConfig(storeAddon("v1", version1()));
    Path v2 = storeAddon("v2", version2());
    makeReadOnly();
    Map<String, String> storeBefore = tree(dir.resolve("store"));

    Result first = prepare(base, v1);

    assertThat(first.code()).as(first.output()).isZero();
    assertThat(tree(target)).containsAllEntriesOf(version1()).doesNotContainKey("stale.py")
        .containsEntry("user_files/notes.txt", "mine").containsEntry("__pycache__/x.pyc", "cache");
    // meta.json is ours: the store's (withConfig, N2) is not copied; our keys stay, the run-time settings go in.
    String meta = Files.readString(target.resolve("meta.json"));
    assertThat(meta).contains("\"ignoreOriginList\"", "\"127.0.0.1\"", "18765").doesNotContain("10.0.0.1");
    assertThat(Files.isSymbolicLink(target.resolve("__init__.py"))).isFalse();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target.resolve("web"), LinkOption.NOFOLLOW_LINKS)))
        .isEqualTo("rwxr-xr-x");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target.resolve("web/a.js")))).isEqualTo("rw-r--r--");

    // A new store path (an upgrade): changed and removed files follow it.
    Result second = prepare(base, v2);

    assertThat(second.code()).as(second.output()).isZero();
    assertThat(tree(target)).containsAllEntriesOf(version2()).doesNotContainKeys("web/old.js", "stale.py")
        .containsEntry("user_files/notes.txt", "mine");
    assertThat(second.output()).contains("AnkiConnect's files in " + target + " now match " + v2);
    assertThat(tree(dir.resolve("store"))).isEqualTo(storeBefore);

    // Nothing differs: nothing is rewritten.
    Result third = prepare(base, v2);
    assertThat(third.code()).as(third.output()).isZero();
    assertThat(third.output()).contains("already match").contains("nothing needed changing");
  }

  @Test
  void aSourceThatIsNotAnAddonFolderIsRefusedWith78() throws Exception {
    Path base = dir.resolve("anki");
    Path notAddon = storeAddon("empty", Map.of("README", "no code here"));
    Path file = notAddon.resolve("README");
    makeReadOnly();
    for (Path bad : List.of(dir.resolve("store/missing"), file, notAddon)) {
      Result r = prepare(base, bad);
      assertThat(r.code()).as(r.output()).isEqualTo(78);
      assertThat(r.output()).contains("prepare: --addon-source " + bad).contains("fix --addon-source")
          .doesNotContain("\tat ");
    }
    assertThat(base.resolve("addons21")).doesNotExist();
  }

  @Test
  void runStartsAnkiFromTheStoreFolderBeforeEachLaunch() throws Exception {
    Assumptions.assumeTrue(Files.exists(Path.of(SupervisorProcess.JAR)), "the jar is built by `mvn package`");
    try (SupervisorProcess sup = new SupervisorProcess(dir)) {
      Path target = AddonDir.folder(sup.base);
      Map<String, String> files = new TreeMap<>(tree(target));
      files.put("__init__.py", "# AnkiConnect from the store\n");
      Path source = storeAddon("run", files);
      makeReadOnly();
      // Remove the hand-installed add-on: the store folder alone must be enough.
      try (Stream<Path> walk = Files.walk(target)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
      sup.args("--addon-source", source.toString()).start();
      sup.awaitReady(1);
      assertThat(Files.readString(target.resolve("__init__.py"))).isEqualTo("# AnkiConnect from the store\n");
      assertThat(Files.readString(target.resolve("meta.json"))).contains(Integer.toString(sup.port));
      sup.sigterm();
      assertThat(sup.awaitExit()).isZero();
    }
  }
}
