package dev.ankisupervisor.commands;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Not built yet: see the issue that owns `full-sync`. */
@Command(name = "full-sync", mixinStandardHelpOptions = true, description = "Resolves a needed full sync by downloading or uploading the whole collection.")
final class FullSyncCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UserError(ExitCode.USAGE, "full-sync is not implemented yet");
  }
}
