package dev.ankisupervisor.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the kernel would refuse to execute, found before the first launch (real files, real interpreters). */
class ProgramCheckTest {
  private static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin");
  /**
   * The {@code env} on this JVM's PATH, as a {@code #!} line names it: /usr/bin/env on most systems, a
   * store path in the Nix build sandbox, which has no /usr/bin at all.
   */
  private static final String ENV_PROGRAM = Stream.of(System.getenv("PATH").split(":"))
      .map(d -> Path.of(d, "env")).filter(Files::isExecutable).findFirst().orElseThrow().toString();

  @TempDir Path dir;

  private Path script(String name, String text) throws IOException {
    Path p = Files.writeString(dir.resolve(name), text);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    return p;
  }

  @Test
  void programsAndScriptsWhoseInterpretersExistPass() throws Exception {
    assertThat(ProgramCheck.resolve("sh", ENV)).isNotNull();
    ProgramCheck.resolve(script("a", "#!/bin/sh\nexit 0\n").toString(), ENV);
    ProgramCheck.resolve(script("b", "#! " + ENV_PROGRAM + " sh\nexit 0\n").toString(), ENV);
    ProgramCheck.resolve(script("c", "#!" + dir.resolve("a") + "\n").toString(), ENV); // a script as interpreter
  }

  @Test
  void whatTheKernelCannotExecuteIsNamedWithTheReason() throws Exception {
    Path venv = script("anki", "#!" + dir.resolve("venv/bin/python") + "\nimport aqt\n");
    assertThatThrownBy(() -> ProgramCheck.resolve(venv.toString(), ENV)).isInstanceOf(IOException.class)
        .hasMessageContaining(venv + " is a script whose interpreter " + dir.resolve("venv/bin/python") + " does not exist");
    Path plain = script("plain", "import aqt\n");
    assertThatThrownBy(() -> ProgramCheck.resolve(plain.toString(), ENV))
        .hasMessageContaining("neither a program nor a script starting with #!");
    Path env = script("env-missing", "#!" + ENV_PROGRAM + " no-such-interpreter-xyz\n");
    assertThatThrownBy(() -> ProgramCheck.resolve(env.toString(), ENV))
        .hasMessageContaining("no-such-interpreter-xyz is not found in the child's PATH");
    Path chained = script("chained", "#!" + venv + "\n");
    assertThatThrownBy(() -> ProgramCheck.resolve(chained.toString(), ENV))
        .hasMessageContaining("interpreter " + venv + " is a script whose interpreter");
    Path empty = script("empty", "#!\n");
    assertThatThrownBy(() -> ProgramCheck.resolve(empty.toString(), ENV)).hasMessageContaining("empty #! line");
  }
}
