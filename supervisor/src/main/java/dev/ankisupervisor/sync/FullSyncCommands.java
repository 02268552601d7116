package dev.ankisupervisor.sync;

import dev.ankisupervisor.config.ShellWords;
import dev.ankisupervisor.model.FullSyncDirection;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code full-sync} commands the log and the status file suggest when a full sync is needed,
 * each in backticks and pasteable as printed; {@code doctor} finds them in the status file again
 * ({@link #resolutionIn}). Under a systemd unit they carry {@code --unit NAME},
 * so that {@code full-sync} reads the service's settings (its status file, hence AnkiConnect's URL,
 * and its API key) instead of the shell's. Immutable; any thread.
 *
 * @param unit the supervisor's systemd unit, when it runs under one
 */
public record FullSyncCommands(Optional<String> unit) {
  /** What introduces the resolution in a message; {@link #resolutionIn} finds it there again. */
  private static final String RESOLVE = "to resolve it run: ";

  /** For a supervisor that runs under no unit. */
  public static final FullSyncCommands WITHOUT_UNIT = new FullSyncCommands(Optional.empty());

  public FullSyncCommands {
    Objects.requireNonNull(unit, "unit");
  }

  /** The one command for a download or an upload, in backticks. */
  public String command(FullSyncDirection direction, boolean force) {
    if (direction == FullSyncDirection.EITHER) {
      throw new IllegalArgumentException("a full-sync command goes one way: download or upload, found either");
    }
    return "`anki-supervisor full-sync" + unit.map(u -> " --unit " + ShellWords.quote(u)).orElse("")
        + " --" + direction.statusName() + " --yes" + (force ? " --force" : "") + "`";
  }

  /**
   * The clause a message about a needed full sync ends with (the log, the status file's
   * {@code sync.error.message}): {@code to resolve it run: } and {@link #resolving}.
   */
  public String advice(FullSyncDirection direction) {
    return RESOLVE + resolving(direction);
  }

  /**
   * The resolution a message ending in {@link #advice} carries (the commands and which side each
   * keeps), as its writer made it, its unit included; empty for any other message.
   */
  public static Optional<String> resolutionIn(String message) {
    int at = message.lastIndexOf(RESOLVE);
    return at < 0 ? Optional.empty() : Optional.of(message.substring(at + RESOLVE.length()));
  }

  /** What resolves a needed full sync in {@code direction}: its command, or for either way, both choices. */
  public String resolving(FullSyncDirection direction) {
    return direction == FullSyncDirection.EITHER
        ? command(FullSyncDirection.DOWNLOAD, true) + " to keep the server's copy, or "
            + command(FullSyncDirection.UPLOAD, true) + " to keep this one"
        : command(direction, false);
  }
}
