package dev.ankisupervisor.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ankisupervisor.testing.RealAnkiVenv;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StateFiles#STATE_DIR_MAX_BYTES} against Anki's own Qt (the real Anki venv's PyQt6): with
 * {@code TMPDIR=<state folder>/anki-tmp}, a QLocalServer listening on Anki's key ({@code anki} and 40
 * hex digits, as {@code AnkiApp.secondInstance} does, C5) succeeds under the longest allowed folder
 * and fails under one a byte longer. Real Anki ignores that failure and runs unguarded.
 */
class StateFilesRealQtIT {
  private static final String LISTEN = String.join("\n",
      "import sys",
      "from PyQt6.QtCore import QCoreApplication",
      "from PyQt6.QtNetwork import QLocalServer",
      "app = QCoreApplication(sys.argv)",
      "server = QLocalServer()",
      "print(server.listen('anki' + 'f' * 40), server.fullServerName(), server.errorString())");

  @TempDir Path tmp;

  @Test
  void ankisQtListensUnderTheLongestAllowedStateFolderAndNotUnderALongerOne() throws Exception {
    RealAnkiVenv venv = RealAnkiVenv.require();
    assertThat(listen(venv, folderOfBytes(StateFiles.STATE_DIR_MAX_BYTES, 'a'))).startsWith("True ");
    Path over = folderOfBytes(StateFiles.STATE_DIR_MAX_BYTES + 1, 'b');
    assertThat(StateFiles.tooLongForAnki(over)).isPresent();
    assertThat(listen(venv, over)).startsWith("False ");
  }

  private static String listen(RealAnkiVenv venv, Path stateDir) throws Exception {
    Path tmpDir = Files.createDirectories(StateFiles.ankiTmpDir(stateDir));
    ProcessBuilder pb = new ProcessBuilder(venv.python().toString(), "-c", LISTEN).redirectErrorStream(true);
    pb.environment().put("TMPDIR", tmpDir.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(RealAnkiVenv.BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out.lines().reduce((a, b) -> b).orElse("");
  }

  /** A real folder whose absolute path has exactly {@code bytes} bytes. */
  private Path folderOfBytes(int bytes, char fill) throws Exception {
    int pad = bytes - tmp.toString().length() - 1;
    assertThat(pad).as("the temp folder %s leaves room", tmp).isPositive();
    Path folder = Files.createDirectory(tmp.resolve(String.valueOf(fill).repeat(pad)));
    assertThat(folder.toString()).hasSize(bytes);
    return folder;
  }
}
