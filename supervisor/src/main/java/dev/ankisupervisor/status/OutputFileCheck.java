package dev.ankisupervisor.status;

import dev.ankisupervisor.config.AnkiSettings;
import dev.ankisupervisor.config.StateFiles;
import dev.ankisupervisor.files.FolderLock;
import dev.ankisupervisor.files.TextFile;
import dev.ankisupervisor.os.ProcessIdentity;
import dev.ankisupervisor.statusfile.StatusReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, before {@code run} writes anything, whether the files it will keep replacing
 * ({@code --status-file}, {@code --metrics-file}) may be replaced: a mistyped path must never turn a
 * collection, prefs21.db or a secret into a status document. A file may be replaced only when it is
 * missing, empty, or provably ours (a status document of ours that no other live supervisor writes;
 * a metrics file with only our metrics), never through a symbolic link, never inside the Anki base
 * folder except at the top of the state folder under a name that neither Anki nor we use otherwise,
 * and only in a folder that is one. Stateless; any thread.
 */
public final class OutputFileCheck {
  /** Names at the top of the base (and state) folder that belong to Anki or to the supervisor's own files. */
  private static final Set<String> RESERVED = Set.of(AnkiSettings.PREFS_DB, AnkiSettings.PREFS_DB + "-journal",
      AnkiSettings.PREFS_DB + "-wal", AnkiSettings.PREFS_DB + "-shm", AnkiSettings.GL_DRIVER, AnkiSettings.ADDONS,
      FolderLock.FILE_NAME, StateFiles.ANKI_PID, StateFiles.SUPERVISOR_PID, StateFiles.ANKI_TMP);
  /** Lines of our metrics file start with these (the text format: HELP, TYPE, samples). */
  private static final String METRIC = "anki_supervisor_";

  /** Which file is checked: its flag and what "ours" means for it. */
  public enum Kind {
    STATUS("--status-file", "status"),
    METRICS("--metrics-file", "metrics");

    private final String flag;
    private final String noun;

    Kind(String flag, String noun) {
      this.flag = flag;
      this.noun = noun;
    }
  }

  /** The file may not be written; the message is one line: the file, why, the fix. */
  public static final class RefusedException extends Exception {
    RefusedException(String message) {
      super(message);
    }
  }

  private OutputFileCheck() {}

  /**
   * Checks one output file.
   *
   * @param base the Anki base folder ({@code --base})
   * @param stateDir the state folder ({@code --state-dir})
   * @param self this process, which may be the status file's writer already
   * @throws RefusedException when it may not be written, naming the flag and the file
   * @throws IOException when the folders cannot be looked at
   */
  public static void check(Kind kind, Path file, Path base, Path stateDir, ProcessIdentity self)
      throws RefusedException, IOException {
    String fix = "; nothing was written; fix " + kind.flag;
    Path abs = file.toAbsolutePath().normalize();
    if (abs.getParent() == null || abs.getFileName() == null) {
      throw new RefusedException(kind.flag + " " + file + " names no file" + fix);
    }
    Path existing = abs.getParent();
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    if (existing == null || !Files.isDirectory(existing)) {
      throw new RefusedException(kind.flag + " " + file + ": " + existing + " is not a folder (a regular file?),"
          + " so the file can never be written there" + fix);
    }
    Path realFolder = existing.toRealPath().resolve(existing.relativize(abs.getParent()));
    Path real = realFolder.resolve(abs.getFileName().toString());
    if (Files.isSymbolicLink(abs)) {
      throw new RefusedException(kind.flag + " " + file + " is a symbolic link (to " + Files.readSymbolicLink(abs)
          + "); the supervisor replaces its own file and never writes over or through a link; give the file's own"
          + " path" + fix);
    }
    Path realBase = realOf(base);
    boolean reserved = RESERVED.contains(abs.getFileName().toString());
    boolean topOfState = realFolder.equals(realOf(stateDir));
    if (reserved && (topOfState || realFolder.equals(realBase))) {
      throw new RefusedException(kind.flag + " " + file + " names one of Anki's or the supervisor's own files"
          + " (" + String.join(", ", new java.util.TreeSet<>(RESERVED)) + "), which are never replaced by it" + fix);
    }
    if (real.startsWith(realBase) && !topOfState) {
      throw new RefusedException(kind.flag + " " + file + " is inside the Anki base folder " + base
          + (real.equals(abs) ? "" : " (really " + real + ")") + ", whose files (the collection, prefs21.db, the"
          + " add-ons) are Anki's and are never replaced; put it in --state-dir or outside the base" + fix);
    }
    if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!Files.isRegularFile(abs, LinkOption.NOFOLLOW_LINKS)) {
      throw new RefusedException(kind.flag + " " + file + " exists and is not a regular file" + fix);
    }
    String text;
    try {
      text = TextFile.read(abs, StatusReader.MAX_BYTES);
    } catch (IOException e) {
      throw new RefusedException(kind.flag + " " + file + " exists and is not an anki-supervisor " + kind.noun
          + " file (" + e.getMessage() + "); it is replaced only when it is one, so nothing of someone else's is"
          + " lost" + fix);
    }
    if (text.isBlank()) {
      return;
    }
    StatusReader.Read status = kind == Kind.STATUS ? StatusReader.parse(abs, text) : null;
    if (kind == Kind.METRICS ? !isOurMetrics(text) : !(status instanceof StatusReader.Parsed)) {
      throw new RefusedException(kind.flag + " " + file + " exists and is not an anki-supervisor " + kind.noun
          + " file; it is replaced only when it is one, so nothing of someone else's is lost (move it away if it is"
          + " yours to drop)" + fix);
    }
    if (status instanceof StatusReader.Parsed parsed) {
      Optional<ProcessIdentity> writer = parsed.document().supervisor().writer();
      if (writer.isPresent() && !writer.get().isSameProcess(self) && writer.get().isAlive()) {
        String who = ProcessIdentity.of(writer.get().pid()).map(ProcessIdentity::describe)
            .orElse("pid " + writer.get().pid());
        throw new RefusedException(kind.flag + " " + file + " is written by another supervisor that still runs, " + who
            + "; two supervisors must not share a status file (it would flap between them); give this one its own "
            + kind.flag + fix);
      }
    }
  }

  /** Every line a comment or sample of ours (the file {@link MetricsWriter} writes). */
  private static boolean isOurMetrics(String text) {
    return text.lines().allMatch(l -> l.isBlank() || l.startsWith(METRIC) || l.startsWith("# HELP " + METRIC)
        || l.startsWith("# TYPE " + METRIC));
  }

  /** The real path of a folder, or its normalised absolute path while it does not exist. */
  private static Path realOf(Path folder) throws IOException {
    Path abs = folder.toAbsolutePath().normalize();
    Path existing = abs;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    return existing == null ? abs : existing.toRealPath().resolve(existing.relativize(abs));
  }
}
