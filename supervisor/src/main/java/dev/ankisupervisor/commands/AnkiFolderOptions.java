package dev.ankisupervisor.commands;

import dev.ankisupervisor.config.StateFiles;
import java.nio.file.Path;
import java.util.List;

/** {@code --base}, {@code --profile}, {@code --state-dir}: where the supervised Anki lives. */
final class AnkiFolderOptions {
  static final Flag<Path> BASE = Flag.path("--base", "DIR",
      "Anki's base folder (-b): prefs21.db, addons21/, the profile folder.").withDefault(StateFiles.DEFAULT_STATE_DIR);

  static final Flag<String> PROFILE = Flag.text("--profile", "NAME",
      "The Anki profile (-p; exact, case-sensitive).").withDefault("server");

  static final Flag<Path> STATE_DIR = Flag.path("--state-dir", "DIR",
      "The supervisor's state folder: the pidfiles (anki.pid, supervisor.pid) and Anki's private TMPDIR.")
      .withDefault(StateFiles.DEFAULT_STATE_DIR);

  static final List<Flag<?>> FLAGS = List.of(BASE, PROFILE, STATE_DIR);

  private AnkiFolderOptions() {}
}
