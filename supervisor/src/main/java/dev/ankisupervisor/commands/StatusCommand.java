package dev.ankisupervisor.commands;

import dev.ankisupervisor.model.HumanDuration;
import dev.ankisupervisor.status.Health;
import dev.ankisupervisor.status.StatusEvaluator;
import dev.ankisupervisor.status.Verdict;
import dev.ankisupervisor.statusfile.AnkiView;
import dev.ankisupervisor.statusfile.ConnectView;
import dev.ankisupervisor.statusfile.StatusDocument;
import dev.ankisupervisor.statusfile.StatusReader;
import dev.ankisupervisor.statusfile.SyncView;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code status}: reads sync-status.json (the one {@code --status-file} names, else {@code --unit}'s)
 * and prints a short summary (or the file verbatim with {@code --json}); the exit code is a Nagios state. Bad flags exit 3, set in
 * {@link AnkiSupervisorCommand#newCommandLine()}, since 2 would read as CRITICAL.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Prints the supervisor's status file; exit code for monitoring (Nagios).",
    exitCodeListHeading = "%nExit codes (Nagios):%n",
    exitCodeList = {
      "0:OK",
      "1:WARNING: the last sync failed, or the last success is older than 2 intervals; or the supervisor stopped",
      "2:CRITICAL: no success within 3 intervals; auth_missing, auth_failed or full_sync_required;"
          + " the supervisor failed; or the file is stale (supervisor gone without stopping)",
      "3:UNKNOWN: the file is missing, unreadable, not ours or from a newer schema; or bad flags"})
final class StatusCommand implements Callable<Integer> {
  private static final Flag<Path> STATUS_FILE = StatusFileOption.STATUS_FILE;

  @Spec CommandSpec spec;

  @Mixin CommandSpec statusFile = FlagSpecs.mixin(StatusFileOption.FLAGS);

  /** The service's status file from its unit, when --status-file is not given ({@link SettingsDefaults#load}). */
  @Mixin UnitOption unit;

  @Option(names = "--json", description = "Print the status file verbatim instead of the summary.")
  boolean json;

  @Override
  public Integer call() {
    return report(FlagSpecs.values(spec).get(StatusFileOption.STATUS_FILE), json, spec.commandLine().getOut(), spec.commandLine().getErr());
  }

  /**
   * {@code status} without picocli, for the argument lists monitoring uses ({@code status},
   * {@code --status-file FILE} or {@code --status-file=FILE}, {@code --json}, each at most once) when
   * no {@code ANKI_SUPERVISOR_STATUS_FILE} or {@code ANKI_SUPERVISOR_JSON} is set: the same report and
   * exit code, without the 100-odd milliseconds of picocli's start (its classes cannot be archived).
   * Anything else (help, an unknown or repeated flag, a setting from the environment) is left to
   * picocli, which knows the rules.
   *
   * @param args the whole command line, {@code status} first
   * @return the exit code, or empty when picocli must handle it
   */
  static java.util.OptionalInt quick(String[] args, java.util.Map<String, String> env) {
    String enc = System.getProperty("sun.stdout.encoding");
    java.nio.charset.Charset cs = enc == null ? java.nio.charset.Charset.defaultCharset()
        : java.nio.charset.Charset.forName(enc);
    return quick(args, env, new PrintWriter(new java.io.OutputStreamWriter(System.out, cs), true),
        new PrintWriter(new java.io.OutputStreamWriter(System.err, cs), true));
  }

  /** {@link #quick(String[], java.util.Map)} printing to {@code out} and {@code err} (as picocli's own, for tests). */
  static java.util.OptionalInt quick(String[] args, java.util.Map<String, String> env, PrintWriter out,
      PrintWriter err) {
    if (args.length == 0 || !args[0].equals("status") || env.containsKey(SettingsLookup.envName(STATUS_FILE.name()))
        || env.containsKey(SettingsLookup.envName("--json"))) {
      return java.util.OptionalInt.empty();
    }
    String file = null;
    boolean json = false;
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--json") && !json) {
        json = true;
      } else if (a.equals(STATUS_FILE.name()) && file == null && i + 1 < args.length) {
        file = args[++i];
      } else if (a.startsWith(STATUS_FILE.name() + "=") && file == null) {
        file = a.substring(STATUS_FILE.name().length() + 1);
      } else {
        return java.util.OptionalInt.empty();
      }
    }
    Path path;
    try {
      path = Path.of(file == null ? STATUS_FILE.defaultValue() : file);
    } catch (java.nio.file.InvalidPathException e) {
      return java.util.OptionalInt.empty(); // picocli's conversion error, exit 3
    }
    return java.util.OptionalInt.of(report(path, json, out, err));
  }

  /** Reads, judges and prints; the Nagios exit code. */
  static int report(Path statusFile, boolean json, PrintWriter out, PrintWriter err) {
    StatusReader.Read read = StatusReader.read(statusFile);
    if (read instanceof StatusReader.Unusable u) {
      return unknown(u.reason(), json, out, err);
    }
    StatusReader.Parsed parsed = (StatusReader.Parsed) read;
    StatusDocument doc = parsed.document();
    Verdict verdict;
    List<String> summary;
    try {
      verdict = StatusEvaluator.evaluate(doc, Instant.now(), doc.supervisor().writerRuns());
      summary = summary(doc);
    } catch (RuntimeException e) {
      // A value no rule foresaw must not turn into exit 1 (WARNING) for the monitor.
      return unknown("cannot evaluate status file " + statusFile + " (" + e + "); this is a bug, please report it", json,
          out, err);
    }
    if (json) {
      out.print(parsed.raw()); // JSON escapes control characters inside strings; the parser refused raw ones
    } else {
      out.println(printable(verdict.health() + ": " + verdict.reason()));
      summary.forEach(line -> out.println(printable(line)));
    }
    out.flush();
    return verdict.health().exitCode();
  }

  private static int unknown(String reason, boolean json, PrintWriter out, PrintWriter err) {
    if (json) {
      err.println("status: " + Health.UNKNOWN + ": " + printable(reason));
      err.flush();
    } else {
      out.println(Health.UNKNOWN + ": " + printable(reason));
    }
    out.flush();
    return Health.UNKNOWN.exitCode();
  }

  /**
   * The text with every control character shown as {@code \xNN}: a sync error's text comes from Anki or
   * the network, and an escape sequence in it must not reach the operator's terminal or the monitor.
   */
  static String printable(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    text.codePoints().forEach(c -> {
      if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
        sb.append(c <= 0xff ? String.format("\\x%02x", c) : String.format("\\u%04x", c));
      } else {
        sb.appendCodePoint(c);
      }
    });
    return sb.toString();
  }

  static java.util.List<String> summary(StatusDocument doc) {
    var s = doc.supervisor();
    AnkiView a = doc.anki();
    ConnectView c = doc.ankiConnect();
    SyncView y = doc.sync();
    String anki = "anki: " + (a.pid() == null ? "not running" : "pid " + a.pid()) + ", profile " + a.profile()
        + (a.readySince() == null ? ", not ready" : ", ready since " + a.readySince()) + ", restarts " + a.restarts()
        + (a.lastExit() == null ? "" : ", last exit " + a.lastExit().at() + " " + a.lastExit().reason().statusName()
            + (a.lastExit().signal() != null ? " (" + a.lastExit().signal() + ")" : "")
            + (a.lastExit().exitCode() != null ? " (code " + a.lastExit().exitCode() + ")" : ""));
    String connect = "ankiConnect: " + (c.url() == null ? "address not known yet" : c.url())
        + (c.lastProbeAt() == null ? "" : ", last probe " + c.lastProbeAt()
            + (c.lastProbeLatencyMs() == null ? "" : " (" + HumanDuration.of(Duration.ofMillis(c.lastProbeLatencyMs())) + ")"))
        + (c.patches() == null ? "" : ", patches configApi " + yes(c.patches().configApi()) + " headlessSync "
            + yes(c.patches().headlessSync()))
        + (c.problem() == null ? "" : ", problem: " + c.problem());
    String sync = "sync: " + y.state().statusName() + (y.trigger() == null ? "" : " (" + y.trigger().statusName() + ")")
        + (y.lastFinishedAt() == null ? "" : ", last attempt " + y.lastFinishedAt()
            + (y.lastDurationMs() == null ? "" : " in " + HumanDuration.of(Duration.ofMillis(y.lastDurationMs()))))
        + ", last success " + (y.lastSuccessAt() == null ? "never" : y.lastSuccessAt())
        + (y.consecutiveFailures() > 0 ? ", " + y.consecutiveFailures() + " failure(s) in a row" : "")
        + (y.nextSyncAt() == null ? "" : ", next " + y.nextSyncAt())
        + (y.intervalSeconds() == 0 ? ", loop off" : ", every " + HumanDuration.of(Duration.ofSeconds(y.intervalSeconds())))
        + (y.fullSyncDirection() == null ? "" : ", full sync needed: " + y.fullSyncDirection().statusName())
        + (y.error() == null ? "" : ", error: " + y.error().message());
    return java.util.List.of(
        "supervisor: " + s.state().statusName() + ", pid " + s.pid() + ", version " + s.version()
            + ", started " + s.startedAt() + ", file updated " + doc.updatedAt(),
        anki, connect, sync);
  }

  private static String yes(boolean b) {
    return b ? "yes" : "no";
  }
}
