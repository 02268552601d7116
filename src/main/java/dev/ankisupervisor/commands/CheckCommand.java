package dev.ankisupervisor.commands;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Not built yet: see the issue that owns `check`. */
@Command(name = "check", mixinStandardHelpOptions = true, description = "Post-deploy check of AnkiConnect and its patches; exit code = number of failures.")
final class CheckCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UserError(ExitCode.USAGE, "check is not implemented yet");
  }
}
