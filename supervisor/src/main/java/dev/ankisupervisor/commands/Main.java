package dev.ankisupervisor.commands;

import dev.ankisupervisor.wiring.SpawnPathWarmup;

/** Entry point of the jar: parses the command line and exits with the command's code. */
public final class Main {
  /** When main began (wall clock, ms), for the start-up timing line of {@code run}. */
  static final long MAIN_AT_MS = System.currentTimeMillis();

  private Main() {}

  public static void main(String[] args) {
    SpawnPathWarmup.startFor(args);
    // status, run and backup without picocli where their command line allows (monitoring, the service, its timer)
    java.util.OptionalInt quick = StatusCommand.quick(args, System.getenv());
    if (quick.isEmpty()) {
      quick = QuickRun.run(args, System.getenv());
    }
    if (quick.isEmpty()) {
      quick = BackupCommand.quick(args, System.getenv());
    }
    if (quick.isPresent()) {
      System.exit(quick.getAsInt());
    }
    System.exit(AnkiSupervisorCommand.forArguments(System.getenv(), args).execute(args));
  }
}
