package dev.ankisupervisor.commands;

/** Entry point of the jar: parses the command line and exits with the command's code. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(AnkiSupervisorCommand.forArguments(System.getenv(), args).execute(args));
  }
}
