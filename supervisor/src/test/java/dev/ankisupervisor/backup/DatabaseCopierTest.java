package dev.ankisupervisor.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
}
