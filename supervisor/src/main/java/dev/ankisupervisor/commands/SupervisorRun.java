package dev.ankisupervisor.commands;

import dev.ankisupervisor.wiring.SpawnPathWarmup;
import dev.ankisupervisor.config.SupervisorSettings;
import dev.ankisupervisor.os.ProcFs;
import dev.ankisupervisor.os.ProcessIdentity;
import dev.ankisupervisor.status.OutputFileCheck;
import dev.ankisupervisor.systemd.JournalStream;
import dev.ankisupervisor.wiring.RunWiring;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code run} and {@code demo} share on the command side: the start-up timing line, the
 * folders claimed for this process alone and the output files checked (each refusal an operator's
 * error with its exit code, before anything is written), then {@link RunWiring} supervises.
 *
 * <p>Threading: {@link #run} blocks the calling (main) thread until the supervisor is STOPPED or
 * FAILED.
 */
final class SupervisorRun {
  private static final Logger LOG = LoggerFactory.getLogger(SupervisorRun.class);

  private SupervisorRun() {}

  /**
   * Supervises until stopped.
   *
   * @param env the environment Anki's is built from (C4 scrubbing applies), and NOTIFY_SOCKET etc.
   * @param duration stop by itself after this long (demo, tests); empty: until a signal
   * @return 0 once stopped cleanly
   * @throws Exception the cause of FAILED (crash loop, network not ready, a preparation error), for the
   *     exit-code mapper
   */
  static int run(SupervisorSettings settings, Map<String, String> env, Optional<Duration> duration) throws Exception {
    SpawnPathWarmup.awaitLogging();
    logStartupTiming(System.currentTimeMillis(), JournalStream.isStdoutJournal(env));
    // one owner per base and state folder, claimed before anything of theirs is written
    try (FolderOwnership owner = FolderOwnership.claim("run", ownedFolders(settings))) {
      checkOutputFiles(settings);
      RunWiring.supervise(settings, env, duration, JarVersion.of());
      return ExitCode.OK.code();
    }
  }

  /** The status and metrics files may be replaced only when missing or ours (nothing is written before). */
  private static void checkOutputFiles(SupervisorSettings settings) {
    ProcessIdentity self = ProcessIdentity.current();
    try {
      OutputFileCheck.check(OutputFileCheck.Kind.STATUS, settings.statusFile(), settings.anki().base(),
          settings.stateDir(), self);
      if (settings.metricsFile().isPresent()) {
        OutputFileCheck.check(OutputFileCheck.Kind.METRICS, settings.metricsFile().get(), settings.anki().base(),
            settings.stateDir(), self);
      }
    } catch (OutputFileCheck.RefusedException e) {
      throw new UserError(ExitCode.CONFIG, e.getMessage());
    } catch (IOException e) {
      throw new UserError(ExitCode.IO, "cannot look at the folders of --status-file and --metrics-file ("
          + e.getMessage() + ")", e);
    }
  }

  /** The folders {@code run} writes: the Anki base (C1) and the state folder (pidfiles, status). */
  static Map<String, Path> ownedFolders(SupervisorSettings settings) {
    Map<String, Path> folders = new LinkedHashMap<>();
    folders.put("--base", settings.anki().base());
    folders.put("--state-dir", settings.stateDir());
    return folders;
  }

  /**
   * One line saying where the time before {@code run} went: from the process's start (the launcher's
   * fork; the JVM is exec'd in the same process) to {@code main}, and from {@code main} to here
   * (picocli, the settings). The log lines of the steps after it (network, prepare, launch) carry
   * their own timestamps. The process's age comes from /proc (to 10 ms), not from
   * {@code ProcessHandle.Info.startInstant()}, whose boot time has whole seconds only.
   */
  private static void logStartupTiming(long runAtMs, boolean journal) {
    long pid = ProcessHandle.current().pid();
    long sinceMainMs = System.currentTimeMillis() - Main.MAIN_AT_MS;
    String toMain = ProcFs.system().age(pid).map(age -> Long.toString(age.toMillis() - sinceMainMs)).orElse("?");
    String line = "start-up timing: process start -> main " + toMain + " ms, main -> run " + (runAtMs - Main.MAIN_AT_MS) + " ms";
    // A developer's figure (docs/performance.md, the bench reads it): the journal is the operator's, so there only at DEBUG.
    if (journal) {
      LOG.debug(line);
    } else {
      LOG.info(line);
    }
  }
}
