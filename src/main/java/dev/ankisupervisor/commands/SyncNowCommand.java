package dev.ankisupervisor.commands;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Not built yet: see the issue that owns `sync-now`. */
@Command(name = "sync-now", mixinStandardHelpOptions = true, description = "Asks the running supervisor for one sync now and prints the result.")
final class SyncNowCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UserError(ExitCode.USAGE, "sync-now is not implemented yet");
  }
}
