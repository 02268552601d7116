package dev.ankisupervisor.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

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
  /** The default of {@code sync-now --supervisor-pid-file}. */
  public static final String DEFAULT_SUPERVISOR_PID_FILE = DEFAULT_STATE_DIR + "/" + SUPERVISOR_PID;
  /** Anki's private TMPDIR, made fresh for each launch (C5: its single-instance socket lives there). */
  public static final String ANKI_TMP = "anki-tmp";
  /**
   * The longest socket path Qt's QLocalServer listens on: 106 bytes (Anki 25.09.2's Qt 6.9 refuses
   * 107 with "Name error", though sun_path would hold 107 and a NUL); the JDK, the stand-in's, the same.
   */
  public static final int SOCKET_PATH_MAX_BYTES = 106;
  /** Anki's single-instance socket in its TMPDIR: {@code anki} and the 40 hex digits of sha1(login name) (C5). */
  private static final String SOCKET_NAME = "anki<40 hex digits>";
  private static final int SOCKET_NAME_BYTES = "anki".length() + 40;
  /**
   * The longest state folder (bytes of its absolute path) under which Anki's socket path,
   * {@code <state folder>/anki-tmp/anki<40 hex>}, still fits: 52. Longer, Anki cannot listen on it:
   * the real Anki ignores that and runs without its single-instance guard (C5), the stand-in cannot
   * start. nix/module.nix asserts the same number.
   */
  public static final int STATE_DIR_MAX_BYTES = SOCKET_PATH_MAX_BYTES - SOCKET_NAME_BYTES - ANKI_TMP.length() - 2;

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

  /**
   * Why Anki could not start under this state folder (its single-instance socket's path would pass
   * the Unix limit), without the fix, which names the caller's flag; empty when it fits.
   */
  public static Optional<String> tooLongForAnki(Path stateDir) {
    String folder = stateDir.toAbsolutePath().normalize().toString();
    int bytes = folder.getBytes(StandardCharsets.UTF_8).length;
    if (bytes <= STATE_DIR_MAX_BYTES) {
      return Optional.empty();
    }
    return Optional.of("the state folder " + folder + " is " + bytes + " bytes long, more than " + STATE_DIR_MAX_BYTES
        + ": Anki's single-instance socket " + Path.of(folder, ANKI_TMP, SOCKET_NAME) + " would pass the "
        + SOCKET_PATH_MAX_BYTES + "-byte limit Qt puts on a Unix socket path, so Anki could not listen on it");
  }
}
