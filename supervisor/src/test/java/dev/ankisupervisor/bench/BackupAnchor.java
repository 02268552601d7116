package dev.ankisupervisor.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * What an operator would script instead of {@code anki-supervisor backup}, as shell command lines
 * (rsync, sync, sha256sum and the sqlite3 shell; Debian: {@code apt-get install rsync sqlite3}).
 * <ul>
 *   <li>first (full): {@code rsync -a} + {@code sync} + {@code sha256sum} of every copied file;
 *   <li>second (incremental, rsnapshot's way): {@code rsync -a --link-dest} to the previous copy +
 *       {@code sqlite3 .backup} of both databases + {@code pragma integrity_check} of each backup +
 *       {@code sync}.
 * </ul>
 * The sqlite3 shell opens the source {@code -readonly}, so the source's {@code -wal} stays (it still
 * creates a {@code -shm}, which the bench removes untimed after each run). Stateless.
 */
final class BackupAnchor {
  private BackupAnchor() {}

  static List<String> full(Path source, Path copy) {
    return sh("mkdir -p " + q(copy) + " && rsync -a " + q(source) + "/ " + q(copy) + "/ && sync && cd " + q(copy)
        + " && find . -type f -print0 | xargs -0 sha256sum > /dev/null");
  }

  static List<String> incremental(Path source, Path previous, Path copy, List<Path> databases) {
    StringBuilder s = new StringBuilder("rsync -a --link-dest=" + q(previous) + " " + q(source) + "/ " + q(copy) + "/");
    Path dbs = Path.of(copy + ".databases");
    s.append(" && mkdir -p ").append(q(dbs));
    for (Path db : databases) {
      Path out = dbs.resolve(db.getFileName());
      s.append(" && sqlite3 -readonly ").append(q(source.resolve(db))).append(" '.backup ").append(out).append("'");
      s.append(" && test \"$(sqlite3 ").append(q(out)).append(" 'pragma integrity_check')\" = ok");
    }
    s.append(" && sync");
    return sh(s.toString());
  }

  private static List<String> sh(String script) {
    return List.of("sh", "-c", script);
  }

  private static String q(Path p) {
    return "'" + p.toString().replace("'", "'\\''") + "'";
  }
}
