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

  /** One way of writing a file atomically. */
  @FunctionalInterface
  private interface Write {
    void to(Path f, byte[] bytes, java.util.Set<java.nio.file.attribute.PosixFilePermission> mode) throws IOException;
  }

  private void assertReplacesWithTheModeAndLeavesNoTempFile(Write write, String name, String mode) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, "old");
    write.to(f, "new\n".getBytes(), PosixFilePermissions.fromString(mode));
    assertThat(Files.readString(f)).isEqualTo("new\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo(mode);
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(f);
    }
  }

  @Test
  void replacesContentWithTheGivenModeAndLeavesNoTempFile() throws IOException {
    assertReplacesWithTheModeAndLeavesNoTempFile(AtomicFile::write, "meta.json", "rw-------");
  }

  @Test
  void aWriteForThisBootReplacesTheSameWayWithoutLeavingATempFile() throws IOException {
    assertReplacesWithTheModeAndLeavesNoTempFile(AtomicFile::writeForThisBoot, "anki.pid", "rw-r--r--");
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
