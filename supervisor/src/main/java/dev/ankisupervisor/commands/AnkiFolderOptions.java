package dev.ankisupervisor.commands;

import dev.ankisupervisor.config.StateFiles;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --base}, {@code --profile}, {@code --state-dir}: where the supervised Anki lives. A picocli mixin. */
final class AnkiFolderOptions {
  @Option(names = "--base", paramLabel = "DIR", defaultValue = StateFiles.DEFAULT_STATE_DIR,
      description = "Anki's base folder (-b): prefs21.db, addons21/, the profile folder.")
  Path base;

  @Option(names = "--profile", paramLabel = "NAME", defaultValue = "server",
      description = "The Anki profile (-p; exact, case-sensitive).")
  String profile;

  @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = StateFiles.DEFAULT_STATE_DIR,
      description = "The supervisor's state folder: the pidfiles (anki.pid, supervisor.pid) and Anki's private TMPDIR.")
  Path stateDir;
}
