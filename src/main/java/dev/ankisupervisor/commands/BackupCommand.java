package dev.ankisupervisor.commands;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Not built yet: see the issue that owns `backup`. */
@Command(name = "backup", mixinStandardHelpOptions = true, description = "Makes a verified backup of the sync server's data.")
final class BackupCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UserError(ExitCode.USAGE, "backup is not implemented yet");
  }
}
