package dev.ankisupervisor.commands;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Not built yet: see the issue that owns `run`. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Supervises headless Anki: prepare, wait for the network, launch, watch, sync, stop.")
final class RunCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UserError(ExitCode.USAGE, "run is not implemented yet");
  }
}
