package dev.ankisupervisor.commands;

import dev.ankisupervisor.systemd.UnitSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The flags on a unit's {@code anki-supervisor run} ExecStart, as the ANKI_SUPERVISOR_* variables
 * they stand for (parsed by run's own model, so {@code --bind=x}, repeats and negations read as run
 * reads them). Pure; the parsing thread.
 */
final class UnitFlags {
  private UnitFlags() {}

  /**
   * @throws UserError CONFIG (78) when the ExecStart's flags are not run's
   */
  static Map<String, String> asVariables(UnitSettings unit) {
    List<String> args = unit.execStartArgs();
    Map<String, String> out = new LinkedHashMap<>();
    if (args.isEmpty() || !args.get(0).equals("run")) {
      return out;
    }
    CommandLine run = new CommandLine(new RunCommand());
    CommandLine.ParseResult parsed;
    try {
      parsed = run.parseArgs(args.subList(1, args.size()).toArray(String[]::new));
    } catch (CommandLine.ParameterException e) {
      throw new UserError(ExitCode.CONFIG, "the ExecStart of unit " + unit.unit() + " is not a valid `run` ("
          + FailureReport.oneLine(e.getMessage()) + "); fix the unit (systemctl edit --full " + unit.unit() + ")");
    }
    for (OptionSpec option : parsed.matchedOptions()) {
      String name = option.longestName();
      String value = option.negatable() && parsed.originalArgs().contains("--no-" + name.substring(2)) ? "false"
          : option.arity().max() == 0 ? "true"
          : option.splitRegex().isEmpty() && option.originalStringValues().size() > 1
              ? String.join(" ", option.originalStringValues().stream().map(UnitFlags::quoted).toList())
              : String.join(",", option.originalStringValues());
      out.put(SettingsLookup.envName(name), value);
    }
    return out;
  }

  /** One word as ShellWords reads it back. */
  private static String quoted(String word) {
    return word.matches("[A-Za-z0-9_./:=@%+,-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
  }
}
