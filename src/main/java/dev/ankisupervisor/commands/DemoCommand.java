package dev.ankisupervisor.commands;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Not built yet: see the issue that owns `demo`. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Runs the supervisor against the built-in stand-ins on loopback, in a temporary folder.")
final class DemoCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UserError(ExitCode.USAGE, "demo is not implemented yet");
  }
}
