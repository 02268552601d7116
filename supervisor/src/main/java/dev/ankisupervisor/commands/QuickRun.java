package dev.ankisupervisor.commands;

import dev.ankisupervisor.wiring.SpawnPathWarmup;
import dev.ankisupervisor.config.SupervisorSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.LoggerFactory;

/**
 * {@code run} without picocli, for the command lines a service uses ({@link QuickParse} of
 * {@link SupervisorOptions#FLAGS}): the same settings, warnings, run and exit code as picocli's
 * {@code run} ({@link RunCommand}), without picocli's part of the start: its classes are Java 5 class
 * files, never in a class-data archive and verified at every start, and it reflects over fifty
 * options (docs/performance.md). Anything else, and every value a rule refuses, is left to picocli,
 * which knows the rules and the messages; nothing is written or started before that decision (the
 * secret files are only read). {@code QuickRunTest} checks that both paths give the same settings and
 * warnings.
 *
 * <p>Threading: the main thread.
 */
final class QuickRun {
  private static final String COMMAND = "run";

  /** What the quick parse found. */
  record Parsed(SupervisorSettings settings, List<String> warnings) {}

  private QuickRun() {}

  /**
   * Runs {@code run} when picocli is not needed for {@code args}.
   *
   * @param args the whole command line, {@code run} first
   * @return the exit code, or empty when picocli must handle it
   */
  static OptionalInt run(String[] args, Map<String, String> env) {
    Optional<Parsed> parsed = parse(args, env);
    if (parsed.isEmpty()) {
      return OptionalInt.empty();
    }
    SpawnPathWarmup.awaitLogging();
    // RunCommand's logger, as picocli's path logs them.
    parsed.get().warnings().forEach(LoggerFactory.getLogger(RunCommand.class)::warn);
    try {
      return OptionalInt.of(SupervisorRun.run(parsed.get().settings(), env, Optional.empty()));
    } catch (Exception e) {
      return OptionalInt.of(FailureReport.print(e, COMMAND, ConsoleWriters.err(), new ErrorLine(env), false,
          ExitCodeMapper::exitCodeOf));
    }
  }

  /**
   * The settings and warnings of {@code args} and {@code env}, or empty when picocli must parse them.
   * Reads the config file and the secret files; writes nothing.
   */
  static Optional<Parsed> parse(String[] args, Map<String, String> env) {
    if (args.length == 0 || !args[0].equals(COMMAND)) {
      return Optional.empty();
    }
    Optional<QuickParse.Result> read = QuickParse.of(COMMAND, Arrays.asList(args).subList(1, args.length),
        SupervisorOptions.FLAGS, env);
    if (read.isEmpty()) {
      return Optional.empty();
    }
    try {
      SupervisorSettings settings = new SupervisorOptions(read.get().values()).toSettings(null);
      List<String> names = new ArrayList<>();
      SupervisorOptions.FLAGS.forEach(f -> names.add(f.name()));
      return Optional.of(new Parsed(settings, read.get().lookup().warnings(COMMAND, names, read.get().given()::contains)));
    } catch (RuntimeException e) {
      return Optional.empty(); // a value refused, a secret file unreadable: picocli's path says so, in its words
    }
  }
}
