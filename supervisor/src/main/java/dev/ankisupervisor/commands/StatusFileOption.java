package dev.ankisupervisor.commands;

import dev.ankisupervisor.config.StateFiles;
import java.nio.file.Path;
import java.util.List;

/** {@code --status-file}, taken by every command that writes or reads the status file. */
final class StatusFileOption {
  static final Flag<Path> STATUS_FILE = Flag.path("--status-file", "FILE",
      "The status file the supervisor writes (sync-status.json; default: ${DEFAULT-VALUE}).")
      .withDefault(StateFiles.DEFAULT_STATUS_FILE);

  static final List<Flag<?>> FLAGS = List.of(STATUS_FILE);

  private StatusFileOption() {}
}
