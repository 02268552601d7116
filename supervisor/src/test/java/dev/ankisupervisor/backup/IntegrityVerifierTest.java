package dev.ankisupervisor.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pragma integrity_check of real SQLite files; the shared (linked) copy is never written. */
class IntegrityVerifierTest {
  @TempDir Path tmp;

  /** A folded WAL-mode database with some rows, in a folder whose name a URI would misread. */
  private Path database() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("a b%20c?d#e"));
    Path db = dir.resolve("collection.anki2");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      s.execute("pragma journal_mode=wal");
      s.execute("create table cards (id integer primary key, front text)");
      s.execute("create index ix on cards (front)");
      for (int i = 0; i < 500; i++) {
        s.execute("insert into cards (front) values ('card " + i + "')");
      }
    }
    return db;
  }

  @Test
  void aSharedCopyIsCheckedWithoutTouchingItOrLeavingFilesBesideIt() throws Exception {
    Path db = database();
    byte[] before = Files.readAllBytes(db);
    Object modified = Files.getLastModifiedTime(db);
    // A read-write open would create (and at close remove) a -wal and a -shm beside it: the folder's
    // change time tells, once the clock has left the tick of the folder's last change.
    java.time.Instant folderChanged = changed(db.getParent());
    await().atMost(Duration.ofSeconds(10)).until(() -> java.time.Instant.now().isAfter(folderChanged.plusMillis(50)));
    assertThat(IntegrityVerifier.checkShared(db)).isEmpty();
    assertThat(Files.readAllBytes(db)).isEqualTo(before);
    assertThat(Files.getLastModifiedTime(db)).isEqualTo(modified);
    assertThat(changed(db.getParent())).isEqualTo(folderChanged);
    try (var names = Files.list(db.getParent())) {
      assertThat(names.map(p -> p.getFileName().toString())).containsExactly("collection.anki2");
    }
  }

  private static java.time.Instant changed(Path p) throws Exception {
    return ((java.nio.file.attribute.FileTime) Files.getAttribute(p, "unix:ctime")).toInstant();
  }

  @Test
  void aDamagedSharedCopyFailsTheCheck() throws Exception {
    Path db = database();
    long size = Files.size(db);
    try (FileChannel ch = FileChannel.open(db, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[4096]), size - 8192); // zero a page of the table or the index
    }
    assertThat(IntegrityVerifier.checkShared(db)).isNotEmpty();
  }
}
