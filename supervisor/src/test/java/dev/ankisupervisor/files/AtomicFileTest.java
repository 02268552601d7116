package dev.ankisupervisor.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
  @TempDir Path dir;

  @Test
  void replacesContentWithTheGivenModeAndLeavesNoTempFile() throws IOException {
    Path f = dir.resolve("meta.json");
    Files.writeString(f, "old");
    AtomicFile.write(f, "new".getBytes(), AtomicFile.MODE_0600);
    assertThat(Files.readString(f)).isEqualTo("new");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(f);
    }
  }

  @Test
  void aWriteForThisBootReplacesTheSameWayWithoutLeavingATempFile() throws IOException {
    Path f = dir.resolve("anki.pid");
    Files.writeString(f, "1 2\n");
    AtomicFile.writeForThisBoot(f, "4242 12345\n".getBytes(), AtomicFile.MODE_0644);
    assertThat(Files.readString(f)).isEqualTo("4242 12345\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-r--r--");
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(f);
    }
  }

  @Test
  void failedWriteKeepsTheOldFileWholeAndRemovesTheTempFile() throws IOException {
    Path f = dir.resolve("sync-status.json");
    Files.writeString(f, "{\"schema\":1}");
    AtomicFile halfThenFull = new AtomicFile((ch, b) -> {
      ch.write(b.slice().limit(3)); // a part reaches the temp file, then the disk is full
      throw new IOException("No space left on device");
    });
    assertThatThrownBy(() -> halfThenFull.replace(f, "{\"schema\":1,\"much\":\"more\"}".getBytes()))
        .hasMessageContaining("No space left");
    assertThat(Files.readString(f)).isEqualTo("{\"schema\":1}");
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(f);
    }
  }
}
