package dev.ankisupervisor.config;

import java.nio.file.Path;

/**
 * The names of the files the supervisor keeps in its state folder ({@code --state-dir}), and the
 * default places every command looks for them: stated once, so {@code run}, {@code doctor},
 * {@code sync-now} and {@code status} cannot disagree. Constants only.
 */
public final class StateFiles {
  /** The default state folder (systemd's StateDirectory=anki), also the default base folder. */
  public static final String DEFAULT_STATE_DIR = "/var/lib/anki";
  /** The default status file. */
  public static final String DEFAULT_STATUS_FILE = DEFAULT_STATE_DIR + "/sync-status.json";
  /** The pidfile naming the supervised Anki (pid + start time). */
  public static final String ANKI_PID = "anki.pid";
  /** The supervisor's own pidfile, which {@code sync-now} signals through. */
  public static final String SUPERVISOR_PID = "supervisor.pid";
  /** The folder holding Anki's private TMPDIR and XDG_RUNTIME_DIR (C5, C9), emptied before each launch. */
  public static final String ANKI_TMP = "anki-tmp";
  /** The default of {@code sync-now --supervisor-pid-file}. */
  public static final String DEFAULT_SUPERVISOR_PID_FILE = DEFAULT_STATE_DIR + "/" + SUPERVISOR_PID;

  private StateFiles() {}

  public static Path ankiPidFile(Path stateDir) {
    return stateDir.resolve(ANKI_PID);
  }

  public static Path supervisorPidFile(Path stateDir) {
    return stateDir.resolve(SUPERVISOR_PID);
  }

  public static Path ankiTmpDir(Path stateDir) {
    return stateDir.resolve(ANKI_TMP);
  }
}
