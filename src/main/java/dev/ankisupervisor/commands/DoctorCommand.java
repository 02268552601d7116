package dev.ankisupervisor.commands;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Not built yet: see the issue that owns `doctor`. */
@Command(name = "doctor", mixinStandardHelpOptions = true, description = "Walks the troubleshooting list; exit code = number of problems found.")
final class DoctorCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UserError(ExitCode.USAGE, "doctor is not implemented yet");
  }
}
