package dev.ankisupervisor.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ankisupervisor.testing.RealAnkiDevice;
import dev.ankisupervisor.testing.RealAnkiSyncServer;
import dev.ankisupervisor.testing.RealAnkiVenv;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups of the official sync server's data (Anki 25.09.2's {@code anki.syncserver}, running:
 * a live copy), a collection put there by a real device's full upload: an idle server's databases
 * are linked by the next backup, and the linked backup restores: the server starts on a copy of
 * it, and the real library reads the notes back.
 */
class RealSyncServerBackupIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void anIdleServersDatabasesAreLinkedAndTheLinkedBackupRestores() throws Exception {
    RealAnkiVenv venv = RealAnkiVenv.require();
    RealAnkiDevice device = new RealAnkiDevice(venv);
    Path dest = tmp.resolve("backups");
    List<String> names = new ArrayList<>();
    try (RealAnkiSyncServer server = new RealAnkiSyncServer(venv, tmp.resolve("server"), "u:p").start()) {
      device.upload(tmp.resolve("device/collection.anki2"), server, "u", "p", "Default", "one", "two", "three");
      Path base = server.collection("u").getParent().getParent();
      awaitSettled(base);
      JsonNode first = backup(base, dest);
      assertThat(first.get("passes").asInt()).isEqualTo(1);
      names.add(Path.of(first.get("path").asText()).getFileName().toString());
      // Backups are named to the second: the next one starts once the clock has left the first's.
      await().atMost(Duration.ofSeconds(10)).until(() -> BackupFolders.nameOf(Instant.now()).compareTo(names.get(0)) > 0);
      JsonNode second = backup(base, dest);
      assertThat(second.get("passes").asInt()).as("both databases linked").isZero();
      assertThat(second.get("bytesCopied").asLong()).isZero();
      names.add(Path.of(second.get("path").asText()).getFileName().toString());
    }
    Path firstCopy = dest.resolve(names.get(0)).resolve("u/collection.anki2");
    Path secondCopy = dest.resolve(names.get(1)).resolve("u/collection.anki2");
    assertThat(Files.getAttribute(secondCopy, "unix:ino")).isEqualTo(Files.getAttribute(firstCopy, "unix:ino"));

    // Restore the linked backup as systemd/README.md says (a copy), start the server on it, read it.
    Path restored = tmp.resolve("restored");
    assertThat(new ProcessBuilder("cp", "-a", dest.resolve(names.get(1)).toString(), restored.toString())
        .inheritIO().start().waitFor()).isZero();
    try (RealAnkiSyncServer server = new RealAnkiSyncServer(venv, tmp.resolve("restore"), "u:p")) {
      Files.createDirectories(tmp.resolve("restore"));
      Files.move(restored, tmp.resolve("restore/sync-base"));
      server.start();
      server.stop();
      RealAnkiDevice.Summary summary = device.read(server.collection("u"));
      assertThat(summary.fronts()).containsExactlyInAnyOrder("one", "two", "three");
    }
  }

  /** Waits until every file of the server's data changed more than the backup's settling time ago. */
  private static void awaitSettled(Path base) throws Exception {
    long last = 0;
    try (Stream<Path> s = Files.walk(base)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        last = Math.max(last, ((FileTime) Files.getAttribute(p, "unix:ctime")).toMillis());
      }
    }
    Instant settled = Instant.ofEpochMilli(last).plus(DatabaseCopier.SETTLED).plusMillis(200);
    await().atMost(Duration.ofSeconds(30)).until(() -> Instant.now().isAfter(settled));
  }

  private JsonNode backup(Path base, Path dest) throws Exception {
    List<String> cmd = new ArrayList<>(BackupJar.command(base, dest, "--json", "--keep-daily", "0", "--keep-weekly", "0",
        "--keep-monthly", "0"));
    Path err = Files.createTempFile(tmp, "backup", ".err");
    Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("backup finished").isTrue();
    assertThat(p.exitValue()).as(Files.readString(err)).isZero();
    return JSON.readTree(out.strip());
  }
}
