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
    return new DatabaseCopier(copier, Instant::now, settled)
        .copyUntilStable(source, List.of(Path.of("user/collection.anki2")), staging.getParent(), 5, false);
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

  /** Two databases with a WAL each, settled for {@code settled}: a.anki2 and b.anki2 under user/. */
  private Path twoDatabases(Duration settled) throws Exception {
    Path src = Files.createDirectories(tmp.resolve("two/user"));
    for (String db : List.of("a.anki2", "b.anki2")) {
      Files.write(src.resolve(db), new byte[200_000]);
      Files.write(src.resolve(db + "-wal"), new byte[4096]);
    }
    Instant last = changed(src.resolve("b.anki2-wal"));
    await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(last.plus(settled).plusMillis(20)));
    return tmp.resolve("two");
  }

  private static final List<Path> TWO = List.of(Path.of("user/a.anki2"), Path.of("user/b.anki2"));

  private DatabaseCopier.Result copy(Path source, String staging, Optional<Path> previous,
      Map<Path, DatabaseSnapshot> recorded, Supplier<Instant> now, Duration settled) throws Exception {
    Path to = Files.createDirectories(tmp.resolve(staging).resolve("user")).getParent();
    FileCopier copier = new FileCopier(Duration.ZERO, new BackupProgress(System::nanoTime));
    return new DatabaseCopier(copier, now, settled).copyUntilStable(source, TWO, to, previous, recorded, 5, false);
  }

  private static Map<Path, DatabaseSnapshot> byDatabase(List<DatabaseSnapshot> snapshots) {
    Map<Path, DatabaseSnapshot> m = new HashMap<>();
    snapshots.forEach(s -> m.put(s.rel(), s));
    return m;
  }

  @Test
  void aDatabaseUnchangedSinceASettledCopyIsLinkedAndAWrittenOneIsCopied() throws Exception {
    Duration settled = Duration.ofMillis(50);
    Path source = twoDatabases(settled);
    DatabaseCopier.Result first = copy(source, "one", Optional.empty(), Map.of(), Instant::now, settled);
    assertThat(first.passes()).isEqualTo(1);
    List<DatabaseSnapshot> recorded = first.snapshots(tmp.resolve("one"));
    assertThat(recorded).hasSize(2);

    Files.write(source.resolve("user/a.anki2-wal"), new byte[8192]); // a sync wrote a
    Instant last = changed(source.resolve("user/a.anki2-wal"));
    await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(last.plus(settled).plusMillis(20)));
    DatabaseCopier.Result second = copy(source, "two-copy", Optional.of(tmp.resolve("one")), byDatabase(recorded),
        Instant::now, settled);
    assertThat(second.linked()).containsExactly(Path.of("user/b.anki2"));
    assertThat(second.passes()).isEqualTo(1);
    assertThat(Files.getAttribute(tmp.resolve("two-copy/user/b.anki2"), "unix:ino"))
        .isEqualTo(Files.getAttribute(tmp.resolve("one/user/b.anki2"), "unix:ino"));
    assertThat(tmp.resolve("two-copy/user/b.anki2-wal")).doesNotExist(); // the linked copy stands for both
    assertThat(tmp.resolve("two-copy/user/a.anki2-wal")).hasSameBinaryContentAs(source.resolve("user/a.anki2-wal"));
    // The next backup may link both: b's snapshot is carried over, a's is new.
    assertThat(byDatabase(second.snapshots(tmp.resolve("two-copy")))).containsOnlyKeys(TWO);
  }

  @Test
  void aLinkedDatabaseWrittenDuringThePassIsCopiedAfterAll() throws Exception {
    Duration settled = Duration.ofMillis(50);
    Path source = twoDatabases(settled);
    List<DatabaseSnapshot> recorded =
        copy(source, "one", Optional.empty(), Map.of(), Instant::now, settled).snapshots(tmp.resolve("one"));
    Files.write(source.resolve("user/a.anki2-wal"), new byte[8192]);
    Instant last = changed(source.resolve("user/a.anki2-wal"));
    await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(last.plus(settled).plusMillis(20)));
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
    DatabaseCopier.Result second = copy(source, "two-copy", Optional.of(tmp.resolve("one")), byDatabase(recorded),
        now, settled);
    assertThat(second.linked()).isEmpty();
    assertThat(second.passes()).isGreaterThan(1);
    assertThat(Files.getAttribute(tmp.resolve("two-copy/user/b.anki2"), "unix:ino"))
        .isNotEqualTo(Files.getAttribute(tmp.resolve("one/user/b.anki2"), "unix:ino"));
    assertThat(tmp.resolve("two-copy/user/b.anki2-wal")).hasSameBinaryContentAs(source.resolve("user/b.anki2-wal"));
  }

  @Test
  void aReplacedPreviousCopyIsNeverLinked() throws Exception {
    Duration settled = Duration.ofMillis(50);
    Path source = twoDatabases(settled);
    List<DatabaseSnapshot> recorded =
        copy(source, "one", Optional.empty(), Map.of(), Instant::now, settled).snapshots(tmp.resolve("one"));
    // Someone rewrote the previous backup's copy (same bytes, another file): it is not the verified copy.
    Path b = tmp.resolve("one/user/b.anki2");
    byte[] bytes = Files.readAllBytes(b);
    Files.delete(b);
    Files.write(b, bytes);
    DatabaseCopier.Result second = copy(source, "two-copy", Optional.of(tmp.resolve("one")), byDatabase(recorded),
        Instant::now, settled);
    assertThat(second.linked()).containsExactly(Path.of("user/a.anki2"));
  }

  @Test
  void aRecordSurvivesItsFileAndNamesItsBackup() throws Exception {
    Duration settled = Duration.ofMillis(50);
    Path source = twoDatabases(settled);
    List<DatabaseSnapshot> recorded =
        copy(source, "one", Optional.empty(), Map.of(), Instant::now, settled).snapshots(tmp.resolve("one"));
    Path dest = Files.createDirectories(tmp.resolve("dest"));
    DatabaseSourcesFile.write(dest, dest.resolve("20261207T030000Z"), recorded);
    assertThat(DatabaseSourcesFile.readFor(dest, dest.resolve("20261207T030000Z"))).isEqualTo(byDatabase(recorded));
    assertThat(DatabaseSourcesFile.readFor(dest, dest.resolve("20261206T030000Z"))).isEmpty();
    Files.writeString(dest.resolve(DatabaseSourcesFile.NAME), "{\"schema\":1,\"backup\":\"20261207T030000Z\",\"databases\":[{\"path\":\"x\"}]}");
    assertThat(DatabaseSourcesFile.readFor(dest, dest.resolve("20261207T030000Z"))).isEmpty();
  }
}
