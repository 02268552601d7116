package dev.ankisupervisor.commands;

import dev.ankisupervisor.files.PidFile;
import dev.ankisupervisor.os.ProcessIdentity;
import dev.ankisupervisor.statusfile.StatusReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether the process {@code supervisor.pid} names is provably the running
 * {@code anki-supervisor run} (or {@code demo}) that writes a given status file, before anyone
 * signals it: SIGUSR1's default action kills a JVM without a handler, so a reused pid must never get
 * it. Proof is all of: the pid is alive with the start time the file records (pid + start time, as
 * for Anki's pidfile), its command line is our jar or main class running {@code run} or
 * {@code demo}, and the status file names that same process (pid and start time) as its writer.
 *
 * <p>Stateless; any thread.
 */
final class OwnSupervisor {
  static final String MAIN_CLASS = Main.class.getName();

  /** The outcome. */
  sealed interface Verdict {}

  /** Provably ours: signal this pid. */
  record Ours(ProcessIdentity process) implements Verdict {}

  /** Not provably ours, with the reason and the fix, one line. */
  record NotOurs(String reason) implements Verdict {}

  private OwnSupervisor() {}

  static Verdict check(Path pidFile, Path statusFile) {
    Optional<PidFile.Entry> entry;
    try {
      entry = new PidFile(pidFile).read();
    } catch (IOException e) {
      entry = Optional.empty();
    }
    if (entry.isEmpty()) {
      return new NotOurs("no supervisor: pidfile " + pidFile + " is missing or holds no pid; start anki-supervisor"
          + " run, or pass --supervisor-pid-file");
    }
    long pid = entry.get().pid();
    Optional<ProcessIdentity> now = ProcessIdentity.of(pid).filter(ProcessIdentity::isAlive);
    if (now.isEmpty()) {
      return new NotOurs("no supervisor: pid " + pid + " from " + pidFile + " is not running (a stale pidfile);"
          + " start anki-supervisor run");
    }
    Optional<ProcessIdentity> recorded = entry.get().identity();
    if (recorded.isEmpty()) {
      return new NotOurs(pidFile + " names pid " + pid + " without its start time, so it cannot be proven to be the"
          + " supervisor (an older anki-supervisor or another program wrote it); refusing to signal "
          + now.get().describe() + "; restart the supervisor so that it rewrites the file");
    }
    if (!recorded.get().isSameProcess(now.get())) {
      return new NotOurs("pid " + pid + " from " + pidFile + " now belongs to another process, "
          + now.get().describe() + " (its start time differs from the file's: the pid was reused); refusing to"
          + " signal it; start anki-supervisor run");
    }
    if (!isSupervisorCommand(now.get().cmdline())) {
      return new NotOurs(now.get().describe() + " named by " + pidFile + " is not an `anki-supervisor run`;"
          + " refusing to signal it; check --supervisor-pid-file");
    }
    StatusReader.Read status = StatusReader.read(statusFile);
    if (!(status instanceof StatusReader.Parsed parsed)) {
      return new NotOurs("cannot confirm that pid " + pid + " is the supervisor of " + statusFile + ": "
          + ((StatusReader.Unusable) status).reason());
    }
    Optional<ProcessIdentity> writer = parsed.document().supervisor().writer();
    if (writer.isEmpty() || !writer.get().isSameProcess(recorded.get())) {
      return new NotOurs("pid " + pid + " from " + pidFile + " is an anki-supervisor, but " + statusFile
          + " is written by " + writer.map(ProcessIdentity::describe)
              .orElse("pid " + parsed.document().supervisor().pid() + " (no start time recorded)")
          + "; refusing to signal it; pass the --status-file and"
          + " --supervisor-pid-file of the same supervisor (both in its --state-dir)");
    }
    return new Ours(recorded.get());
  }

  /**
   * Whether argv runs our jar ({@code -jar .../anki-supervisor*.jar}) or main class, with the
   * subcommand {@code run} or {@code demo} (the first word after it that is not an option).
   */
  static boolean isSupervisorCommand(List<String> argv) {
    for (int i = 0; i < argv.size(); i++) {
      String a = argv.get(i);
      boolean ourJar = i > 0 && argv.get(i - 1).equals("-jar")
          && Path.of(a).getFileName() != null && Path.of(a).getFileName().toString().startsWith("anki-supervisor");
      if (ourJar || a.equals(MAIN_CLASS)) {
        return argv.subList(i + 1, argv.size()).stream().filter(w -> !w.startsWith("-")).findFirst()
            .map(w -> w.equals("run") || w.equals("demo")).orElse(false);
      }
    }
    return false;
  }
}
