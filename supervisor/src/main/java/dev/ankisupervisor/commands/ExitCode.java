package dev.ankisupervisor.commands;

/**
 * Exit codes of the supervisor's commands, after sysexits.h so systemd units can name them
 * ({@code RestartPreventExitStatus=64 78}). The {@code status} command uses Nagios codes instead
 * (see {@code StatusCommand}).
 */
public enum ExitCode {
  /** Stopped cleanly, or the command did what it was asked. */
  OK(0),
  /** A bug: an unexpected exception, printed with its stack trace. */
  SOFTWARE(1),
  /** Bad flags or arguments (EX_USAGE). */
  USAGE(64),
  /** Bad input data, such as a corrupt file given on the command line (EX_DATAERR). */
  DATA(65),
  /** Anki keeps failing: the crash-loop limit was reached (EX_UNAVAILABLE). */
  ANKI_UNAVAILABLE(69),
  /** An I/O error on a file we must write (EX_IOERR). */
  IO(74),
  /** The network (bind address) was not ready in time; systemd may try again (EX_TEMPFAIL). */
  NETWORK_NOT_READY(75),
  /** The configuration is wrong: a file, a folder or a setting the operator must fix (EX_CONFIG). */
  CONFIG(78);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
