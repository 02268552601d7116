package dev.ankisupervisor.launch;

import dev.ankisupervisor.os.ProcFs;
import dev.ankisupervisor.os.ProcessIdentity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a {@link ChildSpec} as a process that leads its own process group, so the whole tree
 * (QtWebEngine helpers included) can be signalled at once.
 *
 * <p>How: argv is prefixed with {@code setsid} (util-linux) by its absolute path ({@link SetsidProgram}:
 * the package's own or the distribution's, not whatever a service's PATH holds). A child forked by the JVM is not a group leader, so setsid
 * calls setsid(2) and execs the program without forking: the
 * {@link Process}'s pid IS Anki's pid, and its process group and session ids equal that pid. The
 * JVM reaps this direct child (its exit arrives through {@link RunningAnki#onExit()}); helpers
 * orphaned by a dying Anki are re-parented to init (or systemd, the service's reaper) and reaped
 * there, and we make sure they are gone with {@link RunningAnki#killTree()} /
 * {@link RunningAnki#awaitGroupGone}.
 *
 * <p>stdout and stderr are relayed line by line (UTF-8, each line cut at {@link LineRelay#MAX_LINE_BYTES}) on two daemon threads named
 * {@code anki-stdout-PID} / {@code anki-stderr-PID}; the consumers are called on those threads.
 *
 * <p>Stateless; any thread.
 */
public final class AnkiLauncher {
  private static final Logger LOG = LoggerFactory.getLogger(AnkiLauncher.class);

  /**
   * Starts the child.
   *
   * @param stdoutLines gets each stdout line (on the relay thread)
   * @param stderrLines gets each stderr line (on the relay thread)
   * @throws IOException when the program is missing or not executable, the TMPDIR cannot be made or
   *     the program cannot be started
   */
  public RunningAnki start(ChildSpec spec, Consumer<String> stdoutLines, Consumer<String> stderrLines) throws IOException {
    // Checked here, not left to setsid's exec: that failure would look like a crash (a crash loop).
    ProgramCheck.resolve(spec.argv().get(0), spec.env());
    Path setsid = SetsidProgram.locate();
    privateFolder(spec.tmpDir());
    List<String> argv = new ArrayList<>();
    argv.add(setsid.toString());
    argv.addAll(spec.argv());
    ProcessBuilder pb = new ProcessBuilder(argv).directory(spec.workDir().toFile());
    pb.environment().clear();
    pb.environment().putAll(spec.env());
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new IOException("cannot start " + argv + " in " + spec.workDir() + " (" + e.getMessage() + "); check that "
          + setsid + " and " + spec.argv().get(0) + " can run and the folder exists", e);
    }
    RunningAnki running = new RunningAnki(process, ProcFs.system().stat(process.pid()).map(ProcFs.Stat::identity)
        .orElse(ProcessIdentity.recorded(process.pid(), -1)));
    relay(process.getInputStream(), "anki-stdout-" + process.pid(), stdoutLines);
    relay(process.getErrorStream(), "anki-stderr-" + process.pid(), stderrLines);
    LOG.info("started pid {} (its own process group, through {}): {}", process.pid(), setsid, spec.argv());
    return running;
  }

  /** Creates {@code dir} (and parents) and makes it 0700 (C5: the single-instance socket lives there). */
  static void privateFolder(Path dir) throws IOException {
    Files.createDirectories(dir);
    if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      // chmod would follow a link put there and make whatever it names 0700
      throw new IOException(dir + " (Anki's TMPDIR) is a symbolic link, not a folder; remove it");
    }
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
  }

  private static void relay(InputStream in, String threadName, Consumer<String> lines) {
    Thread t = new Thread(() -> {
      try (in) {
        new LineRelay(in, line -> {
          try {
            lines.accept(line);
          } catch (RuntimeException | Error e) {
            // the pipe must be drained whatever happens to one line, or Anki blocks on it
            LOG.warn("the line consumer of {} failed; the line was dropped", threadName, e);
          }
        }).run();
      } catch (IOException e) {
        LOG.debug("{} ended: {}", threadName, e.toString());
      }
    }, threadName);
    t.setDaemon(true);
    t.start();
  }
}
