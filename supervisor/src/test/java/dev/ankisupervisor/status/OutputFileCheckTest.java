package dev.ankisupervisor.status;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ankisupervisor.config.AnkiSettings;
import dev.ankisupervisor.config.StateFiles;
import dev.ankisupervisor.files.FolderLock;
import dev.ankisupervisor.os.ProcessIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The names of Anki's and the supervisor's own files are never taken by --status-file (real folders). */
class OutputFileCheckTest {
  @TempDir Path tmp;

  @Test
  void everyOwnFileOfTheStateAndBaseFolderIsRefusedAndAnotherNameThereIsNot() throws Exception {
    Path base = Files.createDirectories(tmp.resolve("anki"));
    Path state = Files.createDirectories(tmp.resolve("state"));
    List<Path> own = List.of(StateFiles.ankiPidFile(state), StateFiles.supervisorPidFile(state),
        StateFiles.ankiTmpDir(state), state.resolve(FolderLock.FILE_NAME), state.resolve(AnkiSettings.PREFS_DB),
        state.resolve(AnkiSettings.PREFS_DB + "-wal"), state.resolve(AnkiSettings.GL_DRIVER),
        state.resolve(AnkiSettings.ADDONS));
    for (Path file : own) {
      assertThatThrownBy(() -> check(file, base, state)).as(file.toString())
          .isInstanceOf(OutputFileCheck.RefusedException.class)
          .hasMessageContaining("one of Anki's or the supervisor's own files");
    }
    assertThatCode(() -> check(state.resolve("sync-status.json"), base, state)).doesNotThrowAnyException();
  }

  private static void check(Path file, Path base, Path state) throws Exception {
    OutputFileCheck.check(OutputFileCheck.Kind.STATUS, file, base, state, ProcessIdentity.current());
  }
}
