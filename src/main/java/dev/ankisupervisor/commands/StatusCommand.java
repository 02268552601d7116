package dev.ankisupervisor.commands;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Not built yet: see the sync/status issue. Exit codes follow Nagios (0 OK .. 3 UNKNOWN). */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Prints the supervisor's status file; exit code for monitoring (Nagios).")
final class StatusCommand implements Callable<Integer> {
  static final int OK = 0;
  static final int WARNING = 1;
  static final int CRITICAL = 2;
  static final int UNKNOWN = 3;

  @Override
  public Integer call() {
    return UNKNOWN;
  }
}
