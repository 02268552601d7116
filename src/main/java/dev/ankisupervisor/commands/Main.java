package dev.ankisupervisor.commands;

import picocli.CommandLine;

/** Entry point of the jar: parses the command line and exits with the command's code. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(AnkiSupervisorCommand.newCommandLine().execute(args));
  }
}
