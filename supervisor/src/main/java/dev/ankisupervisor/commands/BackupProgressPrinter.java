package dev.ankisupervisor.commands;

import dev.ankisupervisor.backup.BackupProgress;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Shows a backup's progress on stderr: on a terminal one live line, {@code backup: 52% (...)},
 * redrawn in place twice a second; anywhere else (the journal under systemd, a file) a line
 * {@code backup: progress: 1200/3002 files, ...} every {@code interval}. The backup's own lines go
 * through {@link #log} so they never land in the middle of the live line. stdout (the summary and
 * the JSON line) is not touched. A daemon thread prints; {@link #log} and {@link #close} may be
 * called from any thread.
 */
final class BackupProgressPrinter implements AutoCloseable {
  private static final Duration TERMINAL_REDRAW = Duration.ofMillis(500);

  private final PrintWriter err;
  private final BackupProgress progress;
  private final boolean terminal;
  private final ScheduledExecutorService timer;
  private boolean liveLineShown;

  BackupProgressPrinter(PrintWriter err, BackupProgress progress, Duration interval) {
    this.err = err;
    this.progress = progress;
    this.terminal = stderrIsTerminal();
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "backup-progress");
      t.setDaemon(true);
      return t;
    });
    long every = (terminal ? TERMINAL_REDRAW : interval).toMillis();
    timer.scheduleAtFixedRate(this::show, every, every, TimeUnit.MILLISECONDS);
  }

  synchronized void log(String line) {
    clearLiveLine();
    err.println("backup: " + line);
    err.flush();
  }

  private synchronized void show() {
    if (terminal) {
      String line = progress.percentLine();
      if (!line.isEmpty()) {
        err.print("\r\033[Kbackup: " + line);
        err.flush();
        liveLineShown = true;
      }
    } else {
      String line = progress.line();
      if (!line.isEmpty()) {
        err.println("backup: progress: " + line);
        err.flush();
      }
    }
  }

  private void clearLiveLine() {
    if (liveLineShown) {
      err.print("\r\033[K");
      liveLineShown = false;
    }
  }

  @Override
  public synchronized void close() {
    timer.shutdownNow();
    clearLiveLine();
    err.flush();
  }

  /** Whether fd 2 is a terminal, read from /proc (no native call needed). */
  private static boolean stderrIsTerminal() {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }
}
