package dev.ankisupervisor.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backup through real files and real SQLite databases, in process (S2); the
 * live-server and killed-process cases are in BackupIT.
 */
class BackupTest {
  @TempDir Path tmp;
  private final List<String> calls = new ArrayList<>();
  private final List<Connection> open = new ArrayList<>();
  private Runnable onStop = () -> {};

  /** Records stop/start; {@link #onStop} runs while "the server is stopped". */
  private final ServiceControl services = new ServiceControl() {
    @Override
    public void stop(String unit) {
      calls.add("stop " + unit);
      onStop.run();
    }

    @Override
    public void start(String unit) {
      calls.add("start " + unit);
    }
  };

  @AfterEach
  void closeDatabases() throws SQLException {
    for (Connection c : open) {
      c.close();
    }
  }

  private Backup backup(Instant now) {
    return new Backup(services, Clock.fixed(now, ZoneOffset.UTC), System::nanoTime, line -> {});
  }

  private static BackupRequest request(Path source, Path dest, Optional<String> unit) {
    return new BackupRequest(source, dest, unit, BackupRequest.Retention.DEFAULT, 5);
  }

  /** A user folder like the sync server's (S2), its collection open in WAL mode, exclusively locked. */
  private Path serverData(String user, int cards) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("src").resolve(user));
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("collection.anki2"));
    open.add(c);
    try (Statement s = c.createStatement()) {
      s.execute("pragma journal_mode=wal");
      s.execute("pragma locking_mode=exclusive");
      s.execute("pragma wal_autocheckpoint=0");
      s.execute("create table cards (id integer primary key, front text)");
      for (int i = 0; i < cards; i++) {
        s.execute("insert into cards (front) values ('card " + i + "')");
      }
    }
    try (Connection m = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("media.db"));
        Statement s = m.createStatement()) {
      s.execute("create table media (fname text primary key)");
    }
    Files.createDirectories(dir.resolve("media"));
    Files.writeString(dir.resolve("media/a.jpg"), "picture a");
    Files.writeString(dir.resolve("media/b.mp3"), "sound b");
    return tmp.resolve("src");
  }

  private static int cards(Path collection) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + collection);
        Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select count(*) from cards")) {
      return rs.getInt(1);
    }
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void liveCopyOfALockedWalDatabaseHoldsTheRecentDataAndVerifies() throws Exception {
    Path source = serverData("user1", 25);
    // The data is only in the -wal so far (S2): copying the database alone would lose it.
    assertThat(source.resolve("user1/collection.anki2-wal")).exists();
    BackupResult r = backup(Instant.parse("2026-11-26T03:00:00Z")).run(request(source, tmp.resolve("dest"), Optional.empty()));
    assertThat(r.path()).isEqualTo(tmp.resolve("dest/20261126T030000Z"));
    assertThat(r.passes()).isEqualTo(2);
    assertThat(r.databases()).isEqualTo(2);
    assertThat(cards(r.path().resolve("user1/collection.anki2"))).isEqualTo(25);
    assertThat(r.path().resolve("user1/media/a.jpg")).hasContent("picture a");
    assertThat(calls).isEmpty();
    assertThat(LastBackupFile.read(tmp.resolve("dest/last-backup.json")).orElseThrow().ok()).isTrue();
  }

  @Test
  void emptyOrMissingSourceIsRefusedAndNothingIsTouched() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    for (Path source : List.of(empty, tmp.resolve("missing"))) {
      assertThatThrownBy(() -> backup(Instant.now()).run(request(source, tmp.resolve("dest"), Optional.of("x.service"))))
          .isInstanceOf(BackupException.class)
          .hasMessageContaining(source.toString())
          .hasMessageContaining("nothing was touched")
          .extracting(e -> ((BackupException) e).kind()).isEqualTo(BackupException.Kind.SOURCE_REFUSED);
    }
    assertThat(tmp.resolve("dest")).doesNotExist();
    assertThat(calls).isEmpty();
  }

  @Test
  void stopUnitIsStartedAgainWhenTheCopyFailsAndNoCompleteFolderIsLeft() throws Exception {
    Path source = serverData("user1", 3);
    // While "stopped", a media file turns into a folder: reading it as a file fails mid-copy.
    onStop = () -> {
      try {
        Files.delete(source.resolve("user1/media/b.mp3"));
        Files.createDirectory(source.resolve("user1/media/b.mp3"));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    };
    Path dest = tmp.resolve("dest");
    assertThatThrownBy(() -> backup(Instant.now()).run(request(source, dest, Optional.of("anki-sync-server.service"))))
        .isInstanceOf(BackupException.class)
        .extracting(e -> ((BackupException) e).kind()).isEqualTo(BackupException.Kind.IO);
    assertThat(calls).containsExactly("stop anki-sync-server.service", "start anki-sync-server.service");
    assertThat(names(dest)).containsExactlyInAnyOrder(".backup.lock", "last-backup.json");
    LastBackupFile.LastBackup last = LastBackupFile.read(dest.resolve("last-backup.json")).orElseThrow();
    assertThat(last.ok()).isFalse();
    assertThat(last.lastSuccessAt()).isEmpty();
  }

  @Test
  void withStopUnitOnePassSufficesAndTheUnitIsStartedAgain() throws Exception {
    Path source = serverData("user1", 4);
    BackupResult r = backup(Instant.now()).run(request(source, tmp.resolve("dest"), Optional.of("anki-sync-server.service")));
    assertThat(r.passes()).isEqualTo(1);
    assertThat(calls).containsExactly("stop anki-sync-server.service", "start anki-sync-server.service");
    assertThat(cards(r.path().resolve("user1/collection.anki2"))).isEqualTo(4);
  }

  @Test
  void aCorruptDatabaseFailsVerificationAndLeavesNoCompleteFolder() throws Exception {
    Path source = Files.createDirectories(tmp.resolve("src/user1"));
    byte[] junk = new byte[8192];
    new java.util.Random(1).nextBytes(junk);
    System.arraycopy("SQLite format 3\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, junk, 0, 16);
    Files.write(source.resolve("collection.anki2"), junk);
    Path dest = tmp.resolve("dest");
    assertThatThrownBy(() -> backup(Instant.now()).run(request(tmp.resolve("src"), dest, Optional.empty())))
        .isInstanceOf(BackupException.class)
        .hasMessageContaining("integrity_check")
        .extracting(e -> ((BackupException) e).kind()).isEqualTo(BackupException.Kind.DATA);
    assertThat(names(dest)).containsExactlyInAnyOrder(".backup.lock", "last-backup.json");
  }

  @Test
  void secondBackupHardLinksUnchangedMediaAndCopiesChangedMedia() throws Exception {
    Path source = serverData("user1", 2);
    BackupResult first = backup(Instant.parse("2026-11-25T03:00:00Z")).run(request(source, tmp.resolve("dest"), Optional.empty()));
    Files.writeString(source.resolve("user1/media/b.mp3"), "sound b, edited");
    BackupResult second = backup(Instant.parse("2026-11-26T03:00:00Z")).run(request(source, tmp.resolve("dest"), Optional.empty()));
    assertThat(Files.getAttribute(second.path().resolve("user1/media/a.jpg"), "unix:ino"))
        .isEqualTo(Files.getAttribute(first.path().resolve("user1/media/a.jpg"), "unix:ino"));
    assertThat(Files.getAttribute(second.path().resolve("user1/media/b.mp3"), "unix:ino"))
        .isNotEqualTo(Files.getAttribute(first.path().resolve("user1/media/b.mp3"), "unix:ino"));
    assertThat(second.path().resolve("user1/media/b.mp3")).hasContent("sound b, edited");
    assertThat(second.filesLinked()).isEqualTo(1);
    assertThat(second.bytesLinked()).isEqualTo("picture a".length());
  }

  @Test
  void anUnchangedDatabaseIsLinkedToThePreviousCopyAndChecksWithoutBeingWritten() throws Exception {
    Path source = serverData("user1", 3);
    Path dest = tmp.resolve("dest");
    // A clock a day ahead: the files' times are then settled (DatabaseCopier.SETTLED) in every pass.
    Instant day = Instant.now().plus(Duration.ofDays(1));
    BackupResult first = backup(day).run(request(source, dest, Optional.empty()));
    assertThat(first.passes()).isEqualTo(1);
    Path firstCopy = first.path().resolve("user1/collection.anki2");
    Object inode = Files.getAttribute(firstCopy, "unix:ino");
    Object modified = Files.getLastModifiedTime(firstCopy);

    BackupResult second = backup(day.plus(Duration.ofDays(1))).run(request(source, dest, Optional.empty()));
    assertThat(second.passes()).isZero();
    assertThat(second.filesLinked()).isEqualTo(4); // two media, two databases
    assertThat(second.bytesCopied()).isZero();
    Path secondCopy = second.path().resolve("user1/collection.anki2");
    assertThat(Files.getAttribute(secondCopy, "unix:ino")).isEqualTo(inode);
    assertThat(Files.getLastModifiedTime(firstCopy)).isEqualTo(modified);
    assertThat(cards(secondCopy)).isEqualTo(3);
    assertThat(names(second.path().resolve("user1"))).containsExactly("collection.anki2", "media", "media.db");

    // A day of syncing writes the collection (into its -wal): it is copied again, media.db is not.
    try (Statement s = open.get(0).createStatement()) {
      s.execute("insert into cards (front) values ('card 3')");
    }
    BackupResult third = backup(day.plus(Duration.ofDays(2))).run(request(source, dest, Optional.empty()));
    assertThat(third.passes()).isEqualTo(1);
    Path thirdCopy = third.path().resolve("user1/collection.anki2");
    assertThat(Files.getAttribute(thirdCopy, "unix:ino")).isNotEqualTo(inode);
    assertThat(cards(thirdCopy)).isEqualTo(4);
    assertThat(Files.getAttribute(third.path().resolve("user1/media.db"), "unix:ino"))
        .isEqualTo(Files.getAttribute(first.path().resolve("user1/media.db"), "unix:ino"));
  }

  @Test
  void aDamagedOrForeignDatabaseRecordOnlyCostsACopy() throws Exception {
    Path source = serverData("user1", 2);
    Path dest = tmp.resolve("dest");
    Instant day = Instant.now().plus(Duration.ofDays(1));
    backup(day).run(request(source, dest, Optional.empty()));
    Path record = dest.resolve(DatabaseSourcesFile.NAME);
    String good = Files.readString(record);
    Files.writeString(record, good.substring(0, good.length() / 2));
    BackupResult afterDamage = backup(day.plus(Duration.ofDays(1))).run(request(source, dest, Optional.empty()));
    assertThat(afterDamage.passes()).isEqualTo(1);
    assertThat(cards(afterDamage.path().resolve("user1/collection.anki2"))).isEqualTo(2);
    // The record of another backup (the one before the newest) is not trusted either.
    Files.writeString(record, good);
    BackupResult afterForeign = backup(day.plus(Duration.ofDays(2))).run(request(source, dest, Optional.empty()));
    assertThat(afterForeign.passes()).isEqualTo(1);
    // Each successful run rewrote it for its own backup: the next one links.
    assertThat(backup(day.plus(Duration.ofDays(3))).run(request(source, dest, Optional.empty())).passes()).isZero();
  }

  @Test
  void staleIncompleteFoldersAreRemovedAndRetentionKeepsTheRightSet() throws Exception {
    Path source = serverData("user1", 1);
    Path dest = Files.createDirectories(tmp.resolve("dest"));
    Files.createDirectories(dest.resolve(".incomplete-20261120T030000Z/user1"));
    for (String old : List.of("20261122T030000Z", "20261123T030000Z", "20261124T030000Z", "20261124T150000Z")) {
      Files.createDirectories(dest.resolve(old));
    }
    Files.createDirectories(dest.resolve("not-a-backup"));
    BackupRequest req = new BackupRequest(source, dest, Optional.empty(), new BackupRequest.Retention(3, 0, 0), 5);
    BackupResult r = backup(Instant.parse("2026-11-26T03:00:00Z")).run(req);
    // Days with backups, newest first: 26th, 24th (its first, 03:00, and its newest, 15:00), 23rd.
    assertThat(names(dest)).containsExactlyInAnyOrder(".backup.lock", "last-backup.json", DatabaseSourcesFile.NAME, "not-a-backup",
        "20261126T030000Z", "20261124T150000Z", "20261124T030000Z", "20261123T030000Z");
    assertThat(r.deleted()).containsExactlyInAnyOrder("20261122T030000Z");
  }
}
