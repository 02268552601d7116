package dev.ankisupervisor.commands;

import dev.ankisupervisor.prepare.ForeignHolderException;
import dev.ankisupervisor.prepare.NetworkNotReadyException;
import dev.ankisupervisor.prepare.PrepareException;
import dev.ankisupervisor.status.Health;
import dev.ankisupervisor.watch.CrashLoopException;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top command: lists the subcommands and prints usage when called alone. */
@Command(
    name = "anki-supervisor",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Keeps a headless Anki with AnkiConnect running as a dependable systemd service.",
    subcommands = {
      RunCommand.class,
      PrepareCommand.class,
      ConfigCommand.class,
      DemoCommand.class,
      StatusCommand.class,
      SyncNowCommand.class,
      FullSyncCommand.class,
      CheckCommand.class,
      DoctorCommand.class,
      BackupCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped cleanly / done",
      "1:internal error (a bug; stack trace printed)",
      "64:bad usage (flags, arguments)",
      "65:bad input data (a corrupt file)",
      "69:Anki keeps failing (crash-loop limit reached)",
      "74:I/O error writing a file",
      "75:network not ready in time",
      "78:bad configuration"
    })
public final class AnkiSupervisorCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** A fully configured command line: exit codes, one-line user errors. Tests use this too. */
  public static CommandLine newCommandLine() {
    return newCommandLine(System.getenv());
  }

  /**
   * The same, reading flag defaults from {@code env} (ANKI_SUPERVISOR_*) and the --config file
   * (see {@link SettingsDefaults}): precedence flag > env > file > default.
   */
  public static CommandLine newCommandLine(Map<String, String> env) {
    SettingsDefaults defaults = new SettingsDefaults(env);
    CommandLine cl = new CommandLine(new AnkiSupervisorCommand()) {
      @Override
      public int execute(String... args) {
        try {
          defaults.load(args);
        } catch (UserError e) {
          getErr().println(getCommandName() + ": " + e.getMessage());
          getErr().flush();
          return e.exitCode().code();
        }
        return super.execute(args);
      }
    };
    cl.setDefaultValueProvider(defaults);
    cl.setParameterExceptionHandler((ex, args) -> {
      // One line, not the whole usage: "run: Invalid value for option '--start-timeout': ...".
      CommandLine failing = ex.getCommandLine();
      failing.getErr().println(failing.getCommandName() + ": " + ex.getMessage()
          + (defaults.comesFromFile(ex.getArgSpec()) ? " (from config file " + defaults.filePath().orElseThrow() + ")" : "")
          + "; see `" + failing.getCommandSpec().qualifiedName() + " --help`");
      failing.getErr().flush();
      if (ex.getArgSpec() != null && defaults.comesFromFile(ex.getArgSpec())) {
        return ExitCode.CONFIG.code();
      }
      return failing.getCommandSpec().exitCodeOnInvalidInput();
    });
    cl.setExitCodeExceptionMapper(AnkiSupervisorCommand::exitCodeOf);
    cl.setExecutionExceptionHandler(AnkiSupervisorCommand::handleExecutionException);
    // Bad flags are EX_USAGE (64), not picocli's default 2 (which `status` reserves for CRITICAL).
    setExitCodeOnInvalidInput(cl, ExitCode.USAGE.code());
    cl.getSubcommands().get("status").getCommandSpec().exitCodeOnInvalidInput(Health.UNKNOWN.exitCode());
    // `config` checks a configuration: any bad setting, flag or not, is EX_CONFIG.
    cl.getSubcommands().get("config").getCommandSpec().exitCodeOnInvalidInput(ExitCode.CONFIG.code());
    return cl;
  }

  private static void setExitCodeOnInvalidInput(CommandLine cl, int code) {
    cl.getCommandSpec().exitCodeOnInvalidInput(code);
    cl.getSubcommands().values().forEach(sub -> setExitCodeOnInvalidInput(sub, code));
  }

  static int exitCodeOf(Throwable t) {
    if (t instanceof UserError e) {
      return e.exitCode().code();
    }
    if (t instanceof CrashLoopException) {
      return ExitCode.ANKI_UNAVAILABLE.code();
    }
    if (t instanceof NetworkNotReadyException) {
      return ExitCode.NETWORK_NOT_READY.code();
    }
    if (t instanceof ForeignHolderException) {
      return ExitCode.CONFIG.code();
    }
    if (t instanceof PrepareException e) {
      return switch (e.kind()) {
        case CONFIG -> ExitCode.CONFIG.code();
        case IO -> ExitCode.IO.code();
        case DATA -> ExitCode.DATA.code();
        case NETWORK_NOT_READY -> ExitCode.NETWORK_NOT_READY.code();
      };
    }
    if (t instanceof CommandLine.ParameterException e) {
      // Bad flags: the failing (sub)command's own code (64, or 3 for `status`).
      return e.getCommandLine().getCommandSpec().exitCodeOnInvalidInput();
    }
    return ExitCode.SOFTWARE.code();
  }

  /** Failures the operator can fix: one line, no stack trace. */
  static boolean isOperatorError(Throwable t) {
    return t instanceof UserError || t instanceof PrepareException || t instanceof CrashLoopException;
  }

  private static int handleExecutionException(
      Exception e, CommandLine cl, CommandLine.ParseResult parseResult) {
    PrintWriter err = cl.getErr();
    if (isOperatorError(e)) {
      // The operator's mistake: one line, no stack trace.
      err.println(cl.getCommandName() + ": " + e.getMessage());
    } else {
      e.printStackTrace(err);
    }
    err.flush();
    return cl.getExitCodeExceptionMapper() != null
        ? cl.getExitCodeExceptionMapper().getExitCode(e)
        : ExitCode.SOFTWARE.code();
  }
}
