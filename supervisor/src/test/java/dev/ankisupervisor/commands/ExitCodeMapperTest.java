package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ankisupervisor.backup.BackupException;
import dev.ankisupervisor.model.SyncOutcome;
import dev.ankisupervisor.prepare.NetworkNotReadyException;
import dev.ankisupervisor.prepare.PrepareException;
import dev.ankisupervisor.watch.CrashLoopException;
import dev.ankisupervisor.wiring.LoggedFailure;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The one failure-to-exit-code mapping: the README's table and docs/errors.md. */
class ExitCodeMapperTest {
  @Test
  void exceptionsMapToTheDocumentedExitCodes() {
    assertThat(ExitCodeMapper.exitCodeOf(new CrashLoopException("x"))).isEqualTo(69);
    assertThat(ExitCodeMapper.exitCodeOf(new NetworkNotReadyException("x"))).isEqualTo(75);
    assertThat(ExitCodeMapper.exitCodeOf(new PrepareException(PrepareException.Kind.IO, "x"))).isEqualTo(74);
    assertThat(ExitCodeMapper.exitCodeOf(new PrepareException(PrepareException.Kind.DATA, "x"))).isEqualTo(65);
    assertThat(ExitCodeMapper.exitCodeOf(new UserError(ExitCode.USAGE, "x"))).isEqualTo(64);
    // run's failure already in the journal keeps its cause's code
    assertThat(ExitCodeMapper.exitCodeOf(new LoggedFailure(new CrashLoopException("x")))).isEqualTo(69);
    assertThat(ExitCodeMapper.exitCodeOf(new IllegalStateException("bug"))).isEqualTo(1);
  }

  @Test
  void aFailedBackupIsTheOperatorsToFixWithItsKindsCode() {
    assertThat(Arrays.stream(BackupException.Kind.values())
        .map(k -> ExitCodeMapper.exitCodeOf(new BackupException(k, "x")))).containsExactly(78, 78, 65, 74);
    assertThat(ExitCodeMapper.isOperatorError(new BackupException(BackupException.Kind.IO, "x"))).isTrue();
    assertThat(ExitCodeMapper.isOperatorError(new IllegalStateException("bug"))).isFalse();
  }

  @Test
  void aBadValueIsUsageFromAFlagAndConfigurationFromTheDeployment() {
    assertThat(Arrays.stream(SettingSource.values()).map(ExitCodeMapper::ofBadValueFrom))
        .containsExactly(ExitCode.USAGE, ExitCode.CONFIG, ExitCode.CONFIG, ExitCode.CONFIG, ExitCode.USAGE);
  }

  @Test
  void aFailedFullSyncSaysWhetherToRetryFixTheLoginOrChooseASide() {
    assertThat(ExitCodeMapper.ofFullSync(SyncOutcome.FULL_SYNC_REQUIRED)).isEqualTo(ExitCode.DATA);
    assertThat(ExitCodeMapper.ofFullSync(SyncOutcome.CONFLICT)).isEqualTo(ExitCode.NETWORK_NOT_READY);
    assertThat(ExitCodeMapper.ofFullSync(SyncOutcome.AUTH_FAILED)).isEqualTo(ExitCode.CONFIG);
    assertThat(ExitCodeMapper.ofFullSync(SyncOutcome.ANKI_UNAVAILABLE)).isEqualTo(ExitCode.ANKI_UNAVAILABLE);
  }
}
