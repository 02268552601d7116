package dev.ankisupervisor.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ankisupervisor.files.AtomicFile;
import dev.ankisupervisor.model.SupervisorState;
import dev.ankisupervisor.model.SyncOutcome;
import dev.ankisupervisor.model.SyncState;
import dev.ankisupervisor.model.SyncTrigger;
import dev.ankisupervisor.statusfile.Documents;
import dev.ankisupervisor.statusfile.StatusDocument;
import dev.ankisupervisor.statusfile.StatusReader;
import dev.ankisupervisor.statusfile.SyncView;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusWriterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void statusFileIsNeverSeenHalfWritten() throws Exception {
    Path file = dir.resolve("sync-status.json");
    StatusWriter writer = new StatusWriter(file);
    // big enough that a non-atomic write would be caught midway: a long error message
    String longMessage = "x".repeat(20_000);
    assertThat(writer.write(Documents.ready(Documents.T0))).isTrue();
    AtomicBoolean done = new AtomicBoolean();
    AtomicInteger reads = new AtomicInteger();
    List<String> bad = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> {
      while (!done.get() || reads.get() < 2000) {
        StatusReader.Read r = StatusReader.read(file);
        reads.incrementAndGet();
        if (r instanceof StatusReader.Unusable u) {
          bad.add(u.reason());
        }
      }
    }, "reader");
    reader.start();
    for (int i = 0; i < 400; i++) {
      Instant t = Documents.T0.plusSeconds(i);
      StatusDocument d = i % 2 == 0 ? Documents.ready(t)
          : Documents.failedSync(t, t, "network_error").withSync(new SyncView(SyncState.of(SyncOutcome.NETWORK_ERROR),
              SyncTrigger.INTERVAL, t, t, 1L, t, i, t, 300, null,
              new SyncView.SyncError(SyncOutcome.NETWORK_ERROR, longMessage)));
      assertThat(writer.write(d)).isTrue();
    }
    done.set(true);
    reader.join(60_000);
    assertThat(reads.get()).isGreaterThanOrEqualTo(2000);
    assertThat(bad).isEmpty();
    assertThat(leftovers()).containsExactly("sync-status.json");
  }

  @Test
  void fileIsWorldReadableButOnlyOwnerWritable() throws Exception {
    Path file = dir.resolve("sync-status.json");
    new StatusWriter(file).write(Documents.ready(Documents.T0));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
  }

  @Test
  void failedWriteKeepsThePreviousFileWholeAndReportsIt() throws Exception {
    Path file = dir.resolve("sync-status.json");
    assertThat(new StatusWriter(file).write(Documents.ready(Documents.T0))).isTrue();
    String before = Files.readString(file);
    // like a full disk: half the bytes go in, then ENOSPC
    StatusWriter failing = new StatusWriter(file, new AtomicFile((ch, b) -> {
      ch.write(ByteBuffer.wrap(b.array(), 0, b.remaining() / 2));
      throw new IOException("No space left on device");
    }));
    assertThat(failing.write(Documents.ready(Documents.T0.plusSeconds(60)))).isFalse();
    assertThat(failing.lastFailure()).hasValueSatisfying(m -> assertThat(m)
        .contains("No space left on device", "previous file stays", "--status-file"));
    assertThat(Files.readString(file)).isEqualTo(before);
    assertThat(leftovers()).containsExactly("sync-status.json");
  }

  @Test
  void fullTmpfsKeepsThePreviousFileWhole() throws Exception {
    assumeThat(System.getProperty("user.name")).isEqualTo("root");
    Path mount = Files.createDirectory(dir.resolve("tiny"));
    Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", mount.toString())
        .redirectErrorStream(true).start();
    assumeThat(p.waitFor()).as("mount tmpfs (needs CAP_SYS_ADMIN)").isZero();
    try {
      Path file = mount.resolve("sync-status.json");
      StatusWriter writer = new StatusWriter(file);
      assertThat(writer.write(Documents.ready(Documents.T0))).isTrue();
      String before = Files.readString(file);
      StatusDocument huge = Documents.ready(Documents.T0).withSync(new SyncView(
          SyncState.of(SyncOutcome.UNKNOWN), SyncTrigger.INTERVAL, Documents.T0,
          Documents.T0, 1L, null, 1, null, 300, null, new SyncView.SyncError(SyncOutcome.UNKNOWN, "y".repeat(64_000))));
      assertThat(writer.write(huge)).isFalse();
      assertThat(writer.lastFailure()).hasValueSatisfying(m -> assertThat(m).contains("No space left"));
      assertThat(Files.readString(file)).isEqualTo(before);
      try (Stream<Path> s = Files.list(mount)) {
        assertThat(s.map(x -> x.getFileName().toString()).toList()).containsExactly("sync-status.json");
      }
    } finally {
      new ProcessBuilder("umount", mount.toString()).start().waitFor();
    }
  }

  @Test
  void publisherRewritesOnEveryChangeAndStampsUpdatedAt() throws Exception {
    Path file = dir.resolve("sync-status.json");
    Path metrics = dir.resolve("anki.prom");
    Clock clock = Clock.fixed(Documents.T0.plusSeconds(5), ZoneOffset.UTC);
    StatusPublisher pub = new StatusPublisher(Documents.ready(Documents.T0), new StatusWriter(file),
        Optional.of(new MetricsWriter(metrics)), clock);
    pub.update(d -> d.withSupervisor(d.supervisor().withState(SupervisorState.STOPPING)));
    StatusDocument read = ((StatusReader.Parsed) StatusReader.read(file)).document();
    assertThat(read.supervisor().state()).isEqualTo(SupervisorState.STOPPING);
    assertThat(read.updatedAt()).isEqualTo(Documents.T0.plusSeconds(5));
    assertThat(Files.readString(metrics)).contains("anki_supervisor_ready 0");
  }

  @Test
  void laterWritesFollowSoonAndNeverOverwriteANewerDocument() throws Exception {
    Path file = dir.resolve("sync-status.json");
    // The supervisor state of every document written, in order (the bytes pass through this seam).
    List<String> written = new CopyOnWriteArrayList<>();
    AtomicFile recording = new AtomicFile((ch, b) -> {
      written.add(JSON.readTree(b.array(), b.position(), b.remaining()).path("supervisor").path("state").asText());
      AtomicFile.FULL_WRITE.write(ch, b);
    });
    StatusPublisher pub = new StatusPublisher(Documents.ready(Documents.T0), new StatusWriter(file, recording),
        Optional.empty(), Clock.fixed(Documents.T0, ZoneOffset.UTC));
    pub.updateLater(d -> d.withSupervisor(d.supervisor().withState(SupervisorState.STARTING)));
    // The caller sees the change at once; the file follows on the status-writer thread.
    assertThat(pub.current().supervisor().state()).isEqualTo(SupervisorState.STARTING);
    await().atMost(Duration.ofSeconds(10)).until(() -> stateIn(file).equals("starting"));
    // A later change queued, then an inline one: the queued write must not bring back the older document.
    pub.updateLater(d -> d.withSupervisor(d.supervisor().withState(SupervisorState.READY)));
    pub.update(d -> d.withSupervisor(d.supervisor().withState(SupervisorState.STOPPED)));
    assertThat(stateIn(file)).isEqualTo("stopped");
    // A last later change: the writer thread takes its work in order, so once this is on disk the
    // queued write has had its turn.
    pub.updateLater(d -> d.withSupervisor(d.supervisor().withState(SupervisorState.STOPPING)));
    await().atMost(Duration.ofSeconds(10)).until(() -> stateIn(file).equals("stopping"));
    // "ready" may have gone to disk before "stopped" (the writer thread was quick); never after it.
    assertThat(written).startsWith("starting").endsWith("stopped", "stopping");
  }

  private static String stateIn(Path file) {
    return StatusReader.read(file) instanceof StatusReader.Parsed p ? p.document().supervisor().state().statusName() : "";
  }

  private List<String> leftovers() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
