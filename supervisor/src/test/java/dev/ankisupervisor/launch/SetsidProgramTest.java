package dev.ankisupervisor.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SetsidProgramTest {
  @TempDir Path tmp;

  private Path program(String folder, boolean executable) throws IOException {
    Path p = Files.createDirectories(tmp.resolve(folder)).resolve("setsid");
    Files.writeString(p, "#!/bin/sh\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
    return p;
  }

  @Test
  void thePathComesBeforeTheFixedFolders() throws IOException {
    Path onPath = program("closure/bin", true);
    program("usr/bin", true);
    assertThat(SetsidProgram.locate(tmp.resolve("nothing") + ":" + onPath.getParent(), List.of(tmp.resolve("usr/bin"))))
        .isEqualTo(onPath);
  }

  @Test
  void withoutOneOnThePathTheFixedFolderIsUsed() throws IOException {
    Path fixed = program("usr/bin", true);
    program("other/bin", false); // not executable: skipped
    assertThat(SetsidProgram.locate(tmp.resolve("other/bin").toString(), List.of(tmp.resolve("usr/bin")))).isEqualTo(fixed);
    assertThat(SetsidProgram.locate(null, List.of(tmp.resolve("usr/bin")))).isEqualTo(fixed);
  }

  @Test
  void relativePathFoldersAreNotUsed() throws IOException {
    program("rel/bin", true);
    assertThatThrownBy(() -> SetsidProgram.locate("rel/bin", List.of(tmp.resolve("none"))))
        .isInstanceOf(IOException.class).hasMessageContaining("not found in [" + tmp.resolve("none") + "]");
  }

  @Test
  void nowhereSaysWhereItLookedAndWhatToInstall() {
    assertThatThrownBy(() -> SetsidProgram.locate("/no/such", List.of(tmp.resolve("usr/bin"))))
        .isInstanceOf(IOException.class)
        .hasMessage("setsid (util-linux) is not found in [/no/such, " + tmp.resolve("usr/bin") + "]; install util-linux"
            + " (Debian: apt-get install util-linux) or run through the Nix package's bin/anki-supervisor, whose PATH holds it");
  }
}
