package dev.ankisupervisor.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How many passes a live copy needs, through real files (the copier never opens them as databases). */
class DatabaseCopierTest {
  @TempDir Path tmp;

  private Path source() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src/user"));
    byte[] b = new byte[300_000];
    new Random(7).nextBytes(b);
    Files.write(src.resolve("collection.anki2"), b);
    Files.write(src.resolve("collection.anki2-wal"), new byte[4096]);
    return tmp.resolve("src");
  }

  private int passes(Path source, Duration settled) throws Exception {
    Path staging = Files.createDirectories(tmp.resolve("staging/user"));
    FileCopier copier = new FileCopier(Duration.ZERO, new BackupProgress(System::nanoTime));
    return new DatabaseCopier(copier, Instant::now, settled).copyUntilStable(source,
        List.of(Path.of("user/collection.anki2")), staging.getParent(), Optional.empty(), Map.of(), 5, false).passes();
  }

  private static Instant changed(Path file) throws Exception {
    return ((FileTime) Files.getAttribute(file, "unix:ctime")).toInstant();
  }

  @Test
  void onePassSufficesWhenNothingWroteDuringItAndTheFilesHaveSettled() throws Exception {
    Path source = source();
    Duration settled = Duration.ofMillis(50);
    Instant last = changed(source.resolve("user/collection.anki2-wal"));
    await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(last.plus(settled).plusMillis(20)));
    assertThat(passes(source, settled)).isEqualTo(1);
    assertThat(tmp.resolve("staging/user/collection.anki2")).hasSameBinaryContentAs(source.resolve("user/collection.anki2"));
    assertThat(tmp.resolve("staging/user/collection.anki2-wal")).exists();
  }

  @Test
  void filesWrittenJustBeforeThePassNeedASecondPassThatReadsTheSameBytes() throws Exception {
    // A write within the settling time may share the pass's clock tick: stat cannot prove anything.
    assertThat(passes(source(), Duration.ofHours(1))).isEqualTo(2);
  }

  /** Two databases with a WAL each, settled: a.anki2 and b.anki2 under user/. */
  private Path twoDatabases() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("two/user"));
    for (String db : List.of("a.anki2", "b.anki2")) {
      Files.write(src.resolve(db), new byte[200_000]);
      writeAndSettle(src.resolve(db + "-wal"), 4096);
    }
    return tmp.resolve("two");
  }

  private static final List<Path> TWO = List.of(Path.of("user/a.anki2"), Path.of("user/b.anki2"));
  private static final Duration SETTLED = Duration.ofMillis(50);

  /** Writes {@code bytes} zero bytes to {@code file}, then waits until its times count as settled. */
  private static void writeAndSettle(Path file, int bytes) throws Exception {
    Files.write(file, new byte[bytes]);
    Instant last = changed(file);
    await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(last.plus(SETTLED).plusMillis(20)));
  }

  private DatabaseCopier.Result copy(Path source, String staging, Optional<Path> previous,
      Map<Path, DatabaseSnapshot> recorded, Supplier<Instant> now) throws Exception {
    Path to = Files.createDirectories(tmp.resolve(staging).resolve("user")).getParent();
    FileCopier copier = new FileCopier(Duration.ZERO, new BackupProgress(System::nanoTime));
    return new DatabaseCopier(copier, now, SETTLED).copyUntilStable(source, TWO, to, previous, recorded, 5, false);
  }

  /** The first backup's copy into "one": the snapshots it records, by database. */
  private Map<Path, DatabaseSnapshot> firstBackup(Path source) throws Exception {
    return byDatabase(copy(source, "one", Optional.empty(), Map.of(), Instant::now).snapshots(tmp.resolve("one")));
  }

  /** The next backup's copy into "two-copy", with "one" as the previous backup. */
  private DatabaseCopier.Result secondBackup(Path source, Map<Path, DatabaseSnapshot> recorded, Supplier<Instant> now)
      throws Exception {
    return copy(source, "two-copy", Optional.of(tmp.resolve("one")), recorded, now);
  }

  private static Map<Path, DatabaseSnapshot> byDatabase(List<DatabaseSnapshot> snapshots) {
    Map<Path, DatabaseSnapshot> m = new HashMap<>();
    snapshots.forEach(s -> m.put(s.rel(), s));
    return m;
  }

  private Object inode(String file) throws Exception {
    return Files.getAttribute(tmp.resolve(file), "unix:ino");
  }

  @Test
  void aDatabaseUnchangedSinceASettledCopyIsLinkedAndAWrittenOneIsCopied() throws Exception {
    Path source = twoDatabases();
    Map<Path, DatabaseSnapshot> recorded = firstBackup(source);
    assertThat(recorded).hasSize(2);
    writeAndSettle(source.resolve("user/a.anki2-wal"), 8192); // a sync wrote a
    DatabaseCopier.Result second = secondBackup(source, recorded, Instant::now);
    assertThat(second.linked()).containsExactly(Path.of("user/b.anki2"));
    assertThat(second.passes()).isEqualTo(1);
    assertThat(inode("two-copy/user/b.anki2")).isEqualTo(inode("one/user/b.anki2"));
    assertThat(tmp.resolve("two-copy/user/b.anki2-wal")).doesNotExist(); // the linked copy stands for both
    assertThat(tmp.resolve("two-copy/user/a.anki2-wal")).hasSameBinaryContentAs(source.resolve("user/a.anki2-wal"));
    // The next backup may link both: b's snapshot is carried over, a's is new.
    assertThat(byDatabase(second.snapshots(tmp.resolve("two-copy")))).containsOnlyKeys(TWO);
  }

  @Test
  void aLinkedDatabaseWrittenDuringThePassIsCopiedAfterAll() throws Exception {
    Path source = twoDatabases();
    Map<Path, DatabaseSnapshot> recorded = firstBackup(source);
    writeAndSettle(source.resolve("user/a.anki2-wal"), 8192);
    // The first pass begins right after b was linked: b is written then, while a is copied.
    AtomicBoolean wrote = new AtomicBoolean();
    Supplier<Instant> now = () -> {
      if (wrote.compareAndSet(false, true)) {
        try {
          Files.write(source.resolve("user/b.anki2-wal"), new byte[12288]);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
      return Instant.now();
    };
    DatabaseCopier.Result second = secondBackup(source, recorded, now);
    assertThat(second.linked()).isEmpty();
    assertThat(second.passes()).isGreaterThan(1);
    assertThat(inode("two-copy/user/b.anki2")).isNotEqualTo(inode("one/user/b.anki2"));
    assertThat(tmp.resolve("two-copy/user/b.anki2-wal")).hasSameBinaryContentAs(source.resolve("user/b.anki2-wal"));
  }

  @Test
  void aChangeThatMovesOnlyTheChangeTimeMeansACopy() throws Exception {
    Path source = twoDatabases();
    Map<Path, DatabaseSnapshot> recorded = firstBackup(source);
    // A chmod leaves size and mtime as they were; only the change time tells.
    Path wal = source.resolve("user/b.anki2-wal");
    Files.setPosixFilePermissions(wal, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    Instant last = changed(wal);
    await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(last.plus(SETTLED).plusMillis(20)));
    assertThat(secondBackup(source, recorded, Instant::now).linked()).containsExactly(Path.of("user/a.anki2"));
  }

  @Test
  void aReplacedPreviousCopyIsNeverLinked() throws Exception {
    Path source = twoDatabases();
    Map<Path, DatabaseSnapshot> recorded = firstBackup(source);
    // Someone rewrote the previous backup's copy (same bytes, another file): it is not the verified copy.
    Path b = tmp.resolve("one/user/b.anki2");
    byte[] bytes = Files.readAllBytes(b);
    Files.delete(b);
    Files.write(b, bytes);
    assertThat(secondBackup(source, recorded, Instant::now).linked()).containsExactly(Path.of("user/a.anki2"));
  }

  @Test
  void aRecordSurvivesItsFileAndNamesItsBackup() throws Exception {
    Map<Path, DatabaseSnapshot> recorded = firstBackup(twoDatabases());
    Path dest = Files.createDirectories(tmp.resolve("dest"));
    DatabaseSourcesFile.write(dest, dest.resolve("20261207T030000Z"), List.copyOf(recorded.values()));
    assertThat(DatabaseSourcesFile.readFor(dest, dest.resolve("20261207T030000Z"))).isEqualTo(recorded);
    assertThat(DatabaseSourcesFile.readFor(dest, dest.resolve("20261206T030000Z"))).isEmpty();
    Files.writeString(dest.resolve(DatabaseSourcesFile.NAME), "{\"schema\":1,\"backup\":\"20261207T030000Z\",\"databases\":[{\"path\":\"x\"}]}");
    assertThat(DatabaseSourcesFile.readFor(dest, dest.resolve("20261207T030000Z"))).isEmpty();
  }
}
