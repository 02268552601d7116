package dev.ankisupervisor.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ankisupervisor.standin.syncserver.SyncServerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `anki-supervisor backup` as a real process against a real, running stand-in sync server that
 * holds its collection locked with the recent data in the -wal (S2).
 */
class BackupIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private Path base;
  private Path dest;
  private SyncServerProcess server;
  private final List<Process> started = new ArrayList<>();
  /** Where a test's recording systemctl lives; first on the backup's PATH once it exists. */
  private Path fakeBin;

  @BeforeEach
  void startServer() throws Exception {
    base = Files.createDirectories(tmp.resolve("sync-base"));
    dest = tmp.resolve("backups");
    fakeBin = tmp.resolve("bin");
    server = SyncServerProcess.start(base, Map.of("SYNC_USER1", "user:pass", "STANDIN_SYNC_SEED", "Seeded:5"));
    // Recent data, as if a device had just synced it: it lives in the -wal until the server closes.
    server.addDeck("user", "Recent", 3);
    Path media = base.resolve("user/media");
    for (int i = 0; i < 40; i++) {
      Files.writeString(media.resolve("image-" + i + ".jpg"), "picture " + i);
    }
  }

  @AfterEach
  void stopEverything() throws Exception {
    for (Process p : started) {
      p.destroyForcibly();
      p.waitFor(20, TimeUnit.SECONDS);
    }
    server.close();
  }

  private Process startBackup(String... flags) throws IOException {
    return startBackup(Duration.ZERO, flags);
  }

  /** With a pause after each file copied, and the recording systemctl first on the PATH when a test wrote one. */
  private Process startBackup(Duration copyPause, String... flags) throws IOException {
    List<String> cmd = new ArrayList<>(BackupJar.command(copyPause, base, dest, "--json"));
    cmd.addAll(List.of(flags));
    return startBackup(cmd);
  }

  /** Without --json: what the backup does is logged on its stderr, err-N. */
  private Process startBackupShowingItsLog(String... flags) throws IOException {
    return startBackup(BackupJar.command(base, dest, flags));
  }

  private Process startBackup(List<String> cmd) throws IOException {
    int n = started.size();
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .redirectOutput(tmp.resolve("out-" + n).toFile())
        .redirectError(tmp.resolve("err-" + n).toFile());
    if (Files.isDirectory(fakeBin)) {
      pb.environment().put("PATH", fakeBin + ":" + System.getenv("PATH"));
    }
    Process p = pb.start();
    started.add(p);
    return p;
  }

  /** Whether a backup is copying: a media file has reached its staging folder. */
  private boolean copyIsUnderWay() throws IOException {
    if (!Files.isDirectory(dest)) {
      return false;
    }
    try (Stream<Path> s = Files.walk(dest)) {
      return s.anyMatch(f -> f.toString().contains(".incomplete-") && f.toString().endsWith(".jpg"));
    }
  }

  private record Run(int exitCode, String out, String err) {}

  private Run backup(String... flags) throws Exception {
    int n = started.size();
    Process p = startBackup(flags);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("backup finished").isTrue();
    return new Run(p.exitValue(), Files.readString(tmp.resolve("out-" + n)), Files.readString(tmp.resolve("err-" + n)));
  }

  /** The deck names, or none when the file does not even hold the table yet (all of it in the WAL). */
  private static List<String> decksOrNothing(Path collection) throws Exception {
    try {
      return BackupJar.decks(collection);
    } catch (java.sql.SQLException e) {
      assertThat(e.getMessage()).contains("no such table");
      return List.of();
    }
  }

  @Test
  void backupOfALiveServerVerifiesAndRestoresWithTheRecentDataFromTheWal() throws Exception {
    assertThat(base.resolve("user/collection.anki2-wal")).exists();
    // Control: the database file alone (a plain copy) lacks the recent deck (S2).
    Path plain = Files.copy(base.resolve("user/collection.anki2"), tmp.resolve("plain.anki2"));
    assertThat(decksOrNothing(plain)).doesNotContain("Recent");
    Run r = backup();
    assertThat(r.exitCode).as(r.err).isZero();
    JsonNode summary = JSON.readTree(r.out.strip().lines().reduce((a, b) -> b).orElseThrow());
    Path copy = Path.of(summary.get("path").asText());
    assertThat(summary.get("files").asLong()).isGreaterThanOrEqualTo(42);
    assertThat(summary.get("bytesCopied").asLong()).isPositive();
    assertThat(summary.has("bytesLinked")).isTrue();
    assertThat(summary.has("durationMs")).isTrue();
    // Restore = open the copied collection: the seeded and the recent deck are both there.
    assertThat(BackupJar.decks(copy.resolve("user/collection.anki2"))).contains("Seeded", "Recent");
    assertThat(copy.resolve("user/media/image-7.jpg")).hasContent("picture 7");
    // The server kept running and serving throughout, and its files were not touched.
    assertThat(server.get("health").statusCode()).isEqualTo(200);
    assertThat(base.resolve("user/collection.anki2-wal")).exists();
    JsonNode last = JSON.readTree(dest.resolve("last-backup.json").toFile());
    assertThat(last.get("ok").asBoolean()).isTrue();
    assertThat(last.get("lastSuccessPath").asText()).isEqualTo(copy.toString());
  }

  @Test
  void secondBackupHardLinksUnchangedMedia() throws Exception {
    assertThat(backup().exitCode).isZero();
    // Backups are named to the second: the next one starts once the clock has left the first's second.
    String firstName = BackupJar.completeBackups(dest).get(0);
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
        .until(() -> BackupFolders.nameOf(Instant.now()).compareTo(firstName) > 0);
    server.addDeck("user", "Later", 1);
    // Keep every backup: two on one day would otherwise leave only the newest (--keep-daily).
    Run second = backup("--keep-daily", "0", "--keep-weekly", "0", "--keep-monthly", "0");
    assertThat(second.exitCode).as(second.err).isZero();
    List<String> names = BackupJar.completeBackups(dest);
    assertThat(names).hasSize(2);
    Path a = dest.resolve(names.get(0)).resolve("user/media/image-3.jpg");
    Path b = dest.resolve(names.get(1)).resolve("user/media/image-3.jpg");
    assertThat(Files.getAttribute(b, "unix:ino")).isEqualTo(Files.getAttribute(a, "unix:ino"));
    assertThat(JSON.readTree(second.out.strip()).get("bytesLinked").asLong()).isPositive();
    assertThat(BackupJar.decks(dest.resolve(names.get(1)).resolve("user/collection.anki2"))).contains("Later");
  }

  @Test
  void emptySourceIsRefusedWithExit78AndNothingIsCreated() throws Exception {
    base = Files.createDirectories(tmp.resolve("empty"));
    Run r = backup();
    assertThat(r.exitCode).isEqualTo(78);
    assertThat(r.err).contains("is empty").contains("nothing was touched");
    assertThat(dest).doesNotExist();
  }

  private List<String> sourceTree() throws IOException {
    Path root = base.toRealPath();
    try (Stream<Path> s = Files.walk(root)) {
      return s.map(p -> root.relativize(p).toString()).filter(n -> !n.contains("collection.anki2-")).sorted().toList();
    }
  }

  /** Runs a backup into {@code link} and asserts 78 with the rule and a source left exactly as it was. */
  private void assertOverlapRefused(Path link) throws Exception {
    List<String> before = sourceTree();
    dest = link;
    Run r = backup();
    assertThat(r.exitCode).as(r.err).isEqualTo(78);
    assertThat(r.err).contains("overlap once symbolic links are resolved").doesNotContain("\tat ");
    assertThat(sourceTree()).as("nothing written inside the source").isEqualTo(before);
  }

  @Test
  void destinationThatIsASymlinkToTheSourceIsRefused() throws Exception {
    assertOverlapRefused(Files.createSymbolicLink(tmp.resolve("link-to-source"), base));
  }

  @Test
  void destinationThatIsASymlinkIntoTheSourceIsRefused() throws Exception {
    assertOverlapRefused(Files.createSymbolicLink(tmp.resolve("link-into-source"), base.resolve("user")));
  }

  @Test
  void destinationUnderASymlinkedParentInsideTheSourceIsRefused() throws Exception {
    Path parent = Files.createSymbolicLink(tmp.resolve("parent-link"), base.resolve("user/media"));
    assertOverlapRefused(parent.resolve("not-yet/backups"));
  }

  @Test
  void destinationThatContainsTheSourceThroughALinkIsRefused() throws Exception {
    // --dest is a link to the folder holding the source: a backup would hold the source itself
    assertOverlapRefused(Files.createSymbolicLink(tmp.resolve("link-to-parent"), tmp));
  }

  @Test
  void aSecondBackupIntoTheSameDestinationIsRefusedWhileTheFirstCopiesAndTheFirstCompletes() throws Exception {
    Process first = startBackup(Duration.ofMillis(300));
    await().atMost(Duration.ofSeconds(60)).until(this::copyIsUnderWay);
    Run second = backup();
    assertThat(second.exitCode).isEqualTo(78);
    assertThat(second.err.strip()).contains("another backup is writing to " + dest).contains(".backup.lock");
    assertThat(second.err.strip().lines()).hasSize(1);
    assertThat(second.out).isEmpty();
    assertThat(first.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(first.exitValue()).isZero();
    assertThat(BackupJar.completeBackups(dest)).hasSize(1);
  }

  @Test
  void backupKilledMidCopyLeavesNoCompleteLookingFolderAndTheNextRunCleansUp() throws Exception {
    Process p = startBackup(Duration.ofMillis(300));
    await().atMost(Duration.ofSeconds(60)).until(this::copyIsUnderWay);
    p.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(BackupJar.completeBackups(dest)).isEmpty();
    assertThat(dest.resolve("last-backup.json")).doesNotExist();
    Run next = backup();
    assertThat(next.exitCode).as(next.err).isZero();
    try (Stream<Path> s = Files.list(dest)) {
      assertThat(s.map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith(".incomplete-"));
    }
    assertThat(BackupJar.completeBackups(dest)).hasSize(1);
  }

  @Test
  void sigtermDuringAStoppedCopyStartsTheUnitAgainAndLeavesNoBackup() throws Exception {
    Path calls = tmp.resolve("calls");
    BackupJar.writeRecordingSystemctl(fakeBin, calls, "");
    Process p = startBackup(Duration.ofMillis(300), "--stop-unit", "anki-sync-server.service");
    // the unit is stopped (systemctl stop has returned) once the copy writes its first file
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(calls) && copyIsUnderWay());
    p.destroy(); // SIGTERM, as systemd's stop or TimeoutStartSec would send
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(Files.readAllLines(calls)).containsExactly("stop anki-sync-server.service", "start anki-sync-server.service");
    assertThat(BackupJar.completeBackups(dest)).isEmpty();
  }

  @Test
  void sigtermWhileSystemctlStopStillRunsStartsTheUnitAgainAfterIt() throws Exception {
    // A systemctl whose stop blocks until the test releases it (at most 30 s), as a slow server's does.
    Path calls = tmp.resolve("calls");
    Path stopBegun = tmp.resolve("stop-begun");
    Path release = tmp.resolve("release-stop");
    BackupJar.writeRecordingSystemctl(fakeBin, calls, "if [ \"$1\" = stop ]; then touch '" + stopBegun
        + "'; n=0; while [ ! -e '" + release + "' ] && [ $n -lt 600 ]; do sleep 0.05; n=$((n+1)); done; fi\n");
    int n = started.size();
    Process p = startBackupShowingItsLog("--stop-unit", "anki-sync-server.service");
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(stopBegun));
    p.destroy(); // SIGTERM while systemctl stop runs
    // The shutdown hook says it waits for the stop (the old code exited at once, leaving the unit down).
    Path err = tmp.resolve("err-" + n);
    await().atMost(Duration.ofSeconds(30)).until(() -> !p.isAlive() || Files.readString(err).contains("once it returns"));
    Files.createFile(release);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(Files.readAllLines(calls)).as(Files.readString(err))
        .containsExactly("stop anki-sync-server.service", "start anki-sync-server.service");
    assertThat(BackupJar.completeBackups(dest)).isEmpty();
  }

  @Test
  void stopUnitIsStartedAgainWhenTheCopyFails() throws Exception {
    // A fake systemctl that records its calls; on "stop" it turns a media file into a folder, so
    // the copy that follows fails.
    Path calls = tmp.resolve("calls");
    BackupJar.writeRecordingSystemctl(fakeBin, calls, "if [ \"$1\" = stop ]; then rm -f '"
        + base.resolve("user/media/image-5.jpg") + "'; mkdir '" + base.resolve("user/media/image-5.jpg") + "'; fi\n");
    Run r = backup("--stop-unit", "anki-sync-server.service");
    assertThat(r.exitCode).as(r.err).isEqualTo(74);
    assertThat(Files.readAllLines(calls)).containsExactly("stop anki-sync-server.service", "start anki-sync-server.service");
    assertThat(BackupJar.completeBackups(dest)).isEmpty();
    assertThat(JSON.readTree(dest.resolve("last-backup.json").toFile()).get("ok").asBoolean()).isFalse();
  }
}
