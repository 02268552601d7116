package dev.ankisupervisor.backup;

import dev.ankisupervisor.files.SqliteLibrary;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.sqlite.Collation;

/**
 * Checks a COPIED database with {@code pragma integrity_check}. Opening the copy
 * replays its copied {@code -wal} into it (and closing removes the -wal), so the check covers the
 * recent data too. Never called on the source (C7). Registers Anki's {@code unicase} collation,
 * which Anki's collection schema uses in its indexes and a plain SQLite does not know. Any thread.
 */
final class IntegrityVerifier {
  static {
    // One unpacked copy of sqlite-jdbc's native library in the cache folder, not one per start.
    SqliteLibrary.useCachedCopy();
  }

  private IntegrityVerifier() {}

  /**
   * Loads SQLite's native library and JDBC driver (an in-memory database with the collation, opened
   * and closed): a first connection costs a JVM a few hundred milliseconds of class loading and
   * set-up. Nothing here can fail the backup: the check meets any error again and reports it.
   */
  static void preload() {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:")) {
      Collation.create(c, "unicase", new Unicase());
    } catch (SQLException | RuntimeException | LinkageError e) {
      // check() reports it
    }
  }

  /** Returns the problems found; empty when the database is sound. */
  static List<String> check(Path copy) {
    return check("jdbc:sqlite:" + copy.toAbsolutePath(), true);
  }

  /**
   * The same for a copy hard-linked to the previous backup's, already folded (no {@code -wal}):
   * opened immutable, so nothing can write the file both backups share, nor leave a -wal or -shm
   * beside it.
   */
  static List<String> checkShared(Path copy) {
    return check("jdbc:sqlite:file:" + uriPath(copy.toAbsolutePath().toString()) + "?immutable=1", false);
  }

  private static List<String> check(String url, boolean writable) {
    List<String> problems = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url)) {
      Collation.create(c, "unicase", new Unicase());
      try (Statement s = c.createStatement()) {
        // The backup syncs its whole file system once before it renames the copy complete: no
        // fsync here (the checkpoint on close would issue them), and pages read through a mapping
        // rather than one read call each.
        if (writable) {
          s.execute("pragma synchronous=off");
        }
        s.execute("pragma mmap_size=1073741824");
      }
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("pragma integrity_check")) {
        while (rs.next()) {
          String row = rs.getString(1);
          if (!"ok".equals(row)) {
            problems.add(row);
          }
        }
      }
    } catch (SQLException e) {
      problems.add(String.valueOf(e.getMessage()));
    }
    return problems;
  }

  /**
   * A path as a {@code file:} URI's path: the JDK quotes what a URI may not hold ({@code ?},
   * {@code #}, {@code %}, spaces), which SQLite decodes; anything else it takes as it is.
   */
  private static String uriPath(String path) {
    try {
      return new URI(null, null, path, null).getRawPath();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a path: " + path, e);
    }
  }

  /**
   * Anki's {@code unicase} collation (rslib: case-insensitive by Unicode case folding), folded per
   * code point; equal to Anki's order for everything but rare multi-character foldings.
   */
  private static final class Unicase extends Collation {
    @Override
    protected int xCompare(String a, String b) {
      int i = 0;
      int j = 0;
      while (i < a.length() && j < b.length()) {
        int ca = a.codePointAt(i);
        int cb = b.codePointAt(j);
        int fa = Character.toLowerCase(Character.toUpperCase(ca));
        int fb = Character.toLowerCase(Character.toUpperCase(cb));
        if (fa != fb) {
          return Integer.compare(fa, fb);
        }
        i += Character.charCount(ca);
        j += Character.charCount(cb);
      }
      return Integer.compare(a.length() - i, b.length() - j);
    }
  }
}
