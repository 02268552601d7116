package dev.ankisupervisor.commands;

import dev.ankisupervisor.config.StateFiles;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --status-file}, shared by every command that writes or reads the status file. A picocli mixin. */
final class StatusFileOption {
  @Option(names = "--status-file", paramLabel = "FILE", defaultValue = StateFiles.DEFAULT_STATUS_FILE,
      description = "The status file the supervisor writes (sync-status.json; default: ${DEFAULT-VALUE}).")
  Path file;
}
