package dev.ankisupervisor.commands;

import dev.ankisupervisor.status.Health;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top command: lists the subcommands and prints usage when called alone. */
@Command(
    name = "anki-supervisor",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Keeps a headless Anki with AnkiConnect running as a dependable systemd service.",
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
public final class AnkiSupervisorCommand implements Callable<Integer> {
  /**
   * The subcommands by name, in the order usage lists them. picocli builds a command's model by
   * reflection over its options, so a command line for one named subcommand holds only that one
   * ({@link #forArguments}): {@code status} then never pays for {@code run}'s fifty flags.
   */
  private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private static Map<String, Supplier<Object>> subcommands() {
    Map<String, Supplier<Object>> m = new LinkedHashMap<>();
    m.put("run", RunCommand::new);
    m.put("prepare", PrepareCommand::new);
    m.put("config", ConfigCommand::new);
    m.put("demo", DemoCommand::new);
    m.put("status", StatusCommand::new);
    m.put("sync-now", SyncNowCommand::new);
    m.put("full-sync", FullSyncCommand::new);
    m.put("check", CheckCommand::new);
    m.put("doctor", DoctorCommand::new);
    m.put("backup", BackupCommand::new);
    m.put("help", CommandLine.HelpCommand::new);
    return m;
  }

  /** No subcommand: the usage on stderr and EX_USAGE, as for any other missing argument. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    spec.commandLine().getErr().println("anki-supervisor: a command is missing; see the list above");
    return ExitCode.USAGE.code();
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
    return newCommandLine(env, SUBCOMMANDS.keySet().toArray(String[]::new));
  }

  /**
   * A command line for {@code args}: when the first argument names a subcommand other than
   * {@code help}, only that subcommand is built; otherwise all are (top-level usage lists them).
   */
  static CommandLine forArguments(Map<String, String> env, String... args) {
    if (args.length > 0 && SUBCOMMANDS.containsKey(args[0]) && !args[0].equals("help")) {
      return newCommandLine(env, args[0]);
    }
    return newCommandLine(env);
  }

  private static CommandLine newCommandLine(Map<String, String> env, String... subcommands) {
    SettingsDefaults defaults = new SettingsDefaults(env);
    ErrorLine errors = new ErrorLine(env);
    CommandLine cl = new CommandLine(new AnkiSupervisorCommand()) {
      @Override
      public int execute(String... args) {
        try {
          defaults.load(args, this);
        } catch (UserError e) {
          errors.print(getErr(), getCommandName() + ": " + e.getMessage());
          return keepsNagiosRange(args) ? Health.UNKNOWN.exitCode() : e.exitCode().code();
        }
        return super.execute(args);
      }

      /** Whether {@code args} name {@code status}, whose every failure stays within Nagios' 0-3 (an unknown --unit: 3). */
      private boolean keepsNagiosRange(String[] args) {
        return java.util.Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst()
            .map(getSubcommands()::get)
            .filter(sub -> sub.getCommandSpec().exitCodeOnInvalidInput() == Health.UNKNOWN.exitCode())
            .isPresent();
      }
    };
    for (String name : subcommands) {
      cl.addSubcommand(name, SUBCOMMANDS.get(name).get());
    }
    cl.setDefaultValueProvider(defaults);
    cl.setParameterExceptionHandler((ex, args) -> {
      // One line, not the whole usage: "run: Invalid value for option '--start-timeout': ...".
      CommandLine failing = ex.getCommandLine();
      SettingSource source = ex.getArgSpec() == null ? SettingSource.FLAG : defaults.sourceOf(ex.getArgSpec());
      errors.print(failing.getErr(), failing.getCommandName() + ": "
          + FailureReport.oneLine(ex.getMessage()).replaceFirst("\\.$", "")
          + (ex.getArgSpec() == null ? "" : defaults.describeSource(ex.getArgSpec()))
          + suggestions(ex) + "; see `" + failing.getCommandSpec().qualifiedName() + " --help`");
      // status keeps Nagios' range (3) whatever the source; the others follow the source's rule.
      int own = failing.getCommandSpec().exitCodeOnInvalidInput();
      return own == ExitCode.USAGE.code() ? ExitCodeMapper.ofBadValueFrom(source).code() : own;
    });
    cl.setExitCodeExceptionMapper(AnkiSupervisorCommand::exitCodeOf);
    cl.setExecutionExceptionHandler((e, failing, parsed) -> handleExecutionException(e, failing, errors));
    // Bad flags are EX_USAGE (64), not picocli's default 2 (which `status` reserves for CRITICAL).
    setExitCodeOnInvalidInput(cl, ExitCode.USAGE.code());
    CommandLine status = cl.getSubcommands().get("status");
    if (status != null) {
      status.getCommandSpec().exitCodeOnInvalidInput(Health.UNKNOWN.exitCode());
    }
    return cl;
  }

  private static void setExitCodeOnInvalidInput(CommandLine cl, int code) {
    cl.getCommandSpec().exitCodeOnInvalidInput(code);
    cl.getSubcommands().values().forEach(sub -> setExitCodeOnInvalidInput(sub, code));
  }

  /** "; did you mean status?" for a mistyped command or option (picocli's suggestions), else "". */
  private static String suggestions(CommandLine.ParameterException ex) {
    if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
      return "; did you mean " + String.join(" or ", u.getSuggestions().stream().limit(3).toList()) + "?";
    }
    return "";
  }

  /**
   * picocli's exit-code mapper: a bad flag's code is the failing (sub)command's own (64, or 3 for
   * `status`); anything else is {@link ExitCodeMapper}'s.
   */
  static int exitCodeOf(Throwable t) {
    if (t instanceof CommandLine.ParameterException e) {
      return e.getCommandLine().getCommandSpec().exitCodeOnInvalidInput();
    }
    return ExitCodeMapper.exitCodeOf(t);
  }

  private static int handleExecutionException(Exception e, CommandLine cl, ErrorLine errors) {
    // status answers monitoring: its failures stay within Nagios' 0-3.
    boolean nagios = cl.getCommandSpec().exitCodeOnInvalidInput() == Health.UNKNOWN.exitCode();
    CommandLine.IExitCodeExceptionMapper mapper = cl.getExitCodeExceptionMapper();
    return FailureReport.print(e, cl.getCommandName(), cl.getErr(), errors, nagios,
        mapper != null ? mapper::getExitCode : t -> ExitCode.SOFTWARE.code());
  }
}
