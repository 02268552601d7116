package dev.ankisupervisor.commands;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Not built yet: see the issue that owns `prepare`. */
@Command(name = "prepare", mixinStandardHelpOptions = true, description = "Prepares the Anki base folder (prefs21.db, gldriver6, AnkiConnect settings) and exits.")
final class PrepareCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UserError(ExitCode.USAGE, "prepare is not implemented yet");
  }
}
