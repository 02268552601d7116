package dev.ankisupervisor.commands;

import dev.ankisupervisor.backup.BackupException;
import dev.ankisupervisor.config.SecretFile;
import dev.ankisupervisor.model.SyncOutcome;
import dev.ankisupervisor.prepare.ForeignHolderException;
import dev.ankisupervisor.prepare.NetworkNotReadyException;
import dev.ankisupervisor.prepare.PrepareException;
import dev.ankisupervisor.watch.CrashLoopException;
import dev.ankisupervisor.wiring.LoggedFailure;
import java.util.Optional;

/**
 * The one place that maps a failure to its {@link ExitCode} (the README's table, docs/errors.md),
 * and tells an operator's mistake (one line, no stack trace) from a bug (the stack trace, 1). Every
 * command's failure ends here: an exception through picocli's exit-code mapper (a bad flag thrown by
 * a command is picocli's own, {@link AnkiSupervisorCommand#exitCodeOf}) and {@link FailureReport} on
 * the quick paths, a bad value by the source it came from, a {@code full-sync} by its outcome. No
 * picocli type here: {@code run}'s and {@code backup}'s quick paths load none. {@code status} keeps
 * its Nagios codes, and {@code check}, {@code doctor} and {@code sync-now} their own counts and
 * codes (docs/operations.md). Stateless; any thread.
 */
final class ExitCodeMapper {
  private ExitCodeMapper() {}

  static int exitCodeOf(Throwable t) {
    if (t instanceof LoggedFailure logged) {
      return exitCodeOf(logged.failure());
    }
    if (t instanceof UserError e) {
      return e.exitCode().code();
    }
    return ofOperatorError(t).orElse(ExitCode.SOFTWARE).code();
  }

  /** Failures the operator can fix: one line, no stack trace. */
  static boolean isOperatorError(Throwable t) {
    if (t instanceof LoggedFailure logged) {
      return isOperatorError(logged.failure());
    }
    return t instanceof UserError || ofOperatorError(t).isPresent();
  }

  /**
   * A bad value's code by where it came from: a flag (or our own default) is the caller's usage,
   * the environment, the unit or the config file is the deployment's configuration, so systemd's
   * {@code RestartPreventExitStatus=64 78} stops both and the message says which to fix.
   */
  static ExitCode ofBadValueFrom(SettingSource source) {
    return switch (source) {
      case FLAG, DEFAULT -> ExitCode.USAGE;
      case UNIT, ENVIRONMENT, CONFIG_FILE -> ExitCode.CONFIG;
    };
  }

  /** A {@code full-sync} that did not succeed: the server's side may come right by itself (75). */
  static ExitCode ofFullSync(SyncOutcome outcome) {
    return switch (outcome) {
      case FULL_SYNC_REQUIRED -> ExitCode.DATA;
      case NETWORK_ERROR, TIMEOUT, SERVER_ERROR, CONFLICT -> ExitCode.NETWORK_NOT_READY;
      case AUTH_MISSING, AUTH_FAILED -> ExitCode.CONFIG;
      default -> ExitCode.ANKI_UNAVAILABLE;
    };
  }

  /** The code of a failure the operator can fix, by its type; empty for anything else (a bug). */
  private static Optional<ExitCode> ofOperatorError(Throwable t) {
    ExitCode code = null;
    if (t instanceof SecretFile.UnreadableException || t instanceof ForeignHolderException) {
      code = ExitCode.CONFIG;
    } else if (t instanceof CrashLoopException) {
      code = ExitCode.ANKI_UNAVAILABLE;
    } else if (t instanceof NetworkNotReadyException) {
      code = ExitCode.NETWORK_NOT_READY;
    } else if (t instanceof PrepareException e) {
      code = switch (e.kind()) {
        case CONFIG -> ExitCode.CONFIG;
        case IO -> ExitCode.IO;
        case DATA -> ExitCode.DATA;
        case NETWORK_NOT_READY -> ExitCode.NETWORK_NOT_READY;
      };
    } else if (t instanceof BackupException e) {
      code = switch (e.kind()) {
        case SOURCE_REFUSED, CONFIG -> ExitCode.CONFIG;
        case DATA -> ExitCode.DATA;
        case IO -> ExitCode.IO;
      };
    }
    return Optional.ofNullable(code);
  }
}
