package dev.ankisupervisor.prepare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The corner cases of {@link AddonSourceMirror} (N1-N4); AddonSourceIT runs it through the jar. */
class AddonSourceMirrorTest {
  @TempDir Path dir;
  private final AddonSourceMirror mirror = new AddonSourceMirror();

  private Path source() throws Exception {
    Path src = Files.createDirectories(dir.resolve("store/anki-connect"));
    Files.writeString(src.resolve("__init__.py"), "code");
    Files.createDirectories(src.resolve("lib"));
    Files.writeString(src.resolve("lib/tool.sh"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(src.resolve("lib/tool.sh"), PosixFilePermissions.fromString("r-xr-xr-x"));
    return src;
  }

  @Test
  void aLinkWhereTheAddonFolderBelongsBecomesARealFolder() throws Exception {
    Path src = source();
    Path target = dir.resolve("addons21/2055492159");
    Files.createDirectories(target.getParent());
    Files.createSymbolicLink(target, src);

    AddonSourceMirror.Changes changes = mirror.mirror(src, target);

    assertThat(Files.isSymbolicLink(target)).isFalse();
    assertThat(target.resolve("__init__.py")).hasContent("code");
    assertThat(changes.added()).contains("__init__.py", "lib/", "lib/tool.sh");
    assertThat(src.resolve("__init__.py")).hasContent("code");
  }

  @Test
  void aFileWhereAFolderBelongsIsReplacedAndTheExecutableBitFollows() throws Exception {
    Path src = source();
    Path target = Files.createDirectories(dir.resolve("addon"));
    Files.writeString(target.resolve("lib"), "not a folder");

    AddonSourceMirror.Changes changes = mirror.mirror(src, target);

    assertThat(target.resolve("lib")).isDirectory();
    assertThat(changes.changed()).contains("lib/");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target.resolve("lib/tool.sh"))))
        .isEqualTo("rwxr-xr-x");
    assertThat(mirror.mirror(src, target).isNone()).isTrue();
  }

  @Test
  void aSourceWithoutInitPyIsAConfigError() throws Exception {
    Path src = Files.createDirectories(dir.resolve("empty"));
    assertThatThrownBy(() -> mirror.mirror(src, dir.resolve("addon")))
        .isInstanceOfSatisfying(PrepareException.class, e -> assertThat(e.kind()).isEqualTo(PrepareException.Kind.CONFIG))
        .hasMessageContaining("has no __init__.py");
    assertThat(dir.resolve("addon")).doesNotExist();
  }
}
