package dev.ankisupervisor.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `anki-supervisor backup` as a real process against what a careless operator, a clock that ran
 * ahead, a bind mount, a full disk or nixpkgs' DynamicUser layout put in its way. The source is a
 * sync-server folder (S2) written with real SQLite; mounts need root (skipped otherwise) and are
 * always undone.
 */
class BackupHostileIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private Path base;
  private Path dest;
  private int runs;

  @BeforeEach
  void serverData() throws Exception {
    base = Files.createDirectories(tmp.resolve("sync-base"));
    dest = tmp.resolve("backups");
    Path user = Files.createDirectories(base.resolve("user"));
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + user.resolve("collection.anki2"));
        Statement s = c.createStatement()) {
      s.execute("pragma journal_mode=wal");
      s.execute("create table decks (id integer primary key, name text)");
      s.execute("insert into decks (name) values ('Default'), ('Seeded')");
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + user.resolve("media.db"));
        Statement s = c.createStatement()) {
      s.execute("create table media (fname text primary key)");
    }
    Files.createDirectories(user.resolve("media"));
    for (int i = 0; i < 20; i++) {
      Files.writeString(user.resolve("media/image-" + i + ".jpg"), "picture " + i);
    }
  }

  private record Run(int exitCode, String out, String err) {
    JsonNode summary() throws IOException {
      return JSON.readTree(out.strip().lines().reduce((a, b) -> b).orElseThrow());
    }
  }

  private Run backup(Path source, String... flags) throws Exception {
    return backup(Duration.ZERO, source, flags);
  }

  private Run backup(Duration copyPause, Path source, String... flags) throws Exception {
    List<String> cmd = BackupJar.command(copyPause, source, dest, flags);
    int n = runs++;
    Process p = new ProcessBuilder(cmd)
        .redirectOutput(tmp.resolve("out-" + n).toFile())
        .redirectError(tmp.resolve("err-" + n).toFile())
        .start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("backup finished").isTrue();
    return new Run(p.exitValue(), Files.readString(tmp.resolve("out-" + n)), Files.readString(tmp.resolve("err-" + n)));
  }

  private List<String> tree(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.map(p -> root.relativize(p).toString()).sorted().toList();
    }
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  @Test
  void retentionNeverDeletesTheBackupJustMadeAndReportsANameInTheFuture() throws Exception {
    Run first = backup(base, "--json");
    assertThat(first.exitCode).as(first.err).isZero();
    // The first backup becomes yesterday's; a backup named in 2099 was made while the clock was ahead.
    Path made = Path.of(first.summary().get("path").asText());
    Files.move(made, dest.resolve("20200101T030000Z"));
    Files.createDirectories(dest.resolve("20991231T235959Z/user"));
    Run r = backup(base, "--keep-daily", "1", "--keep-weekly", "0", "--keep-monthly", "0");
    assertThat(r.exitCode).as(r.err).isZero();
    Path now = Path.of(r.summary().get("path").asText());
    assertThat(BackupJar.completeBackups(dest)).contains(now.getFileName().toString(), "20991231T235959Z");
    assertThat(BackupJar.decks(now.resolve("user/collection.anki2"))).contains("Seeded");
    assertThat(r.err).contains("20991231T235959Z is named in the future");
    assertThat(r.summary().get("deleted")).extracting(JsonNode::asText).containsExactly("20200101T030000Z");
    assertThat(JSON.readTree(dest.resolve("last-backup.json").toFile()).get("ok").asBoolean()).isTrue();
  }

  @Test
  void aBackupRunByHandKeepsTheDaysEarlierOne() throws Exception {
    Run scheduled = backup(base, "--json");
    assertThat(scheduled.exitCode).as(scheduled.err).isZero();
    // The scheduled run of the day, renamed to an earlier second of today so the names differ.
    Path made = Path.of(scheduled.summary().get("path").asText());
    String earlier = made.getFileName().toString().substring(0, 9) + "000000Z";
    Files.move(made, dest.resolve(earlier));
    Run manual = backup(base, "--json"); // default retention
    assertThat(manual.exitCode).as(manual.err).isZero();
    assertThat(manual.summary().get("deleted")).isEmpty();
    assertThat(BackupJar.completeBackups(dest)).containsExactly(earlier, Path.of(manual.summary().get("path").asText())
        .getFileName().toString());
  }

  @Test
  void bindMountOfTheSourceAsTheDestinationIsRefused() throws Exception {
    assumeTrue(isRoot(), "mount --bind needs root");
    for (Path mounted : List.of(base, base.resolve("user/media"))) {
      Path mountPoint = Files.createDirectories(tmp.resolve("mnt-" + mounted.getFileName()));
      run("mount", "--bind", mounted.toString(), mountPoint.toString());
      try {
        List<String> before = tree(base);
        dest = mountPoint.resolve("backups");
        Run r = backup(base);
        assertThat(r.exitCode).as(r.err).isEqualTo(78);
        assertThat(r.err).contains("same folder").contains("bind mount").doesNotContain("\tat ");
        assertThat(tree(base)).as("nothing written inside the source").isEqualTo(before);
      } finally {
        run("umount", mountPoint.toString());
      }
    }
  }

  @Test
  void sourceThatIsASymlinkAtItsTopIsFollowedButNothingInsideIt() throws Exception {
    // nixpkgs' DynamicUser layout: /var/lib/anki-sync-server -> private/anki-sync-server.
    Path varLib = Files.createDirectories(tmp.resolve("var-lib"));
    Path priv = Files.createDirectories(varLib.resolve("private"));
    Files.move(base, priv.resolve("anki-sync-server"));
    Path link = Files.createSymbolicLink(varLib.resolve("anki-sync-server"), Path.of("private/anki-sync-server"));
    // A link inside pointing out of the source, at a secret: never followed.
    Path secret = Files.writeString(tmp.resolve("secret"), "password");
    Files.createSymbolicLink(priv.resolve("anki-sync-server/user/media/leak.jpg"), secret);
    Run r = backup(link, "--json");
    assertThat(r.exitCode).as(r.err).isZero();
    Path copy = Path.of(r.summary().get("path").asText());
    assertThat(BackupJar.decks(copy.resolve("user/collection.anki2"))).contains("Seeded");
    assertThat(copy.resolve("user/media/image-3.jpg")).hasContent("picture 3");
    assertThat(copy.resolve("user/media/leak.jpg")).doesNotExist();
    assertThat(r.summary().get("files").asLong()).isEqualTo(22);
  }

  @Test
  void backupsKeepTheSourcesFileModes() throws Exception {
    Files.setPosixFilePermissions(base.resolve("user/media/image-1.jpg"), PosixFilePermissions.fromString("rw-------"));
    Files.setPosixFilePermissions(base.resolve("user/collection.anki2"), PosixFilePermissions.fromString("rw-r-----"));
    Files.setPosixFilePermissions(base.resolve("user"), PosixFilePermissions.fromString("rwx------"));
    Run r = backup(base, "--json");
    assertThat(r.exitCode).as(r.err).isZero();
    Path copy = Path.of(r.summary().get("path").asText());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy.resolve("user/media/image-1.jpg"))))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy.resolve("user/collection.anki2"))))
        .isEqualTo("rw-r-----");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy.resolve("user"))))
        .isEqualTo("rwx------");
    // A later chmod alone (same size and mtime) is a change: the file is copied, not linked to the old mode.
    Files.setPosixFilePermissions(base.resolve("user/media/image-1.jpg"), PosixFilePermissions.fromString("rw-r--r--"));
    Files.move(copy, dest.resolve("20200101T030000Z"));
    Run second = backup(base, "--json");
    assertThat(second.exitCode).as(second.err).isZero();
    Path copy2 = Path.of(second.summary().get("path").asText());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy2.resolve("user/media/image-1.jpg"))))
        .isEqualTo("rw-r--r--");
    assertThat(second.summary().get("filesLinked").asLong()).isEqualTo(19);
  }

  @Test
  void aLastBackupFileThatCannotBeWrittenDoesNotLeaveTheEarlierOkBehind() throws Exception {
    assumeTrue(isRoot(), "a small tmpfs needs root");
    Files.createDirectories(dest);
    run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", dest.toString());
    try {
      Run first = backup(base, "--json");
      assertThat(first.exitCode).as(first.err).isZero();
      assertThat(JSON.readTree(dest.resolve("last-backup.json").toFile()).get("ok").asBoolean()).isTrue();
      // The disk fills up (another program's file).
      try (var out = Files.newOutputStream(dest.resolve("filler"))) {
        byte[] block = new byte[4096];
        while (true) {
          out.write(block);
        }
      } catch (IOException full) {
        // No space left on device: as intended.
      }
      Run r = backup(base);
      assertThat(r.exitCode).as(r.err).isEqualTo(74);
      Path last = dest.resolve("last-backup.json");
      if (Files.exists(last)) {
        assertThat(JSON.readTree(last.toFile()).get("ok").asBoolean()).as("an earlier ok must not pass for this run's")
            .isFalse();
      }
      assertThat(r.err).contains("last-backup.json");
    } finally {
      run("umount", dest.toString());
    }
  }

  @Test
  void progressLinesGoToStderrAndTheJsonLineStaysLastOnStdout() throws Exception {
    Run r = backup(Duration.ofMillis(60), base, "--progress-interval", "100ms");
    assertThat(r.exitCode).as(r.err).isZero();
    assertThat(r.err.lines().filter(l -> l.matches("backup: progress: \\d+/22 files, [0-9.]+/[0-9.]+ MiB, [0-9.]+ MiB/s")))
        .isNotEmpty();
    JsonNode summary = r.summary();
    List<String> keys = new ArrayList<>();
    summary.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactly("path", "finishedAt", "files", "filesLinked", "databases", "passes", "bytesCopied",
        "bytesLinked", "durationMs", "deleted");
    assertThat(r.out).doesNotContain("progress");
  }
}
