package dev.ankisupervisor.prepare;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.util.Set;

/**
 * Tells a prefs21.db that cannot be opened (permissions, ownership, a parent folder we may not
 * enter, an I/O error) from one that was read and found corrupt. Only the second may be moved aside
 * (C2: Anki would delete it); the first is an error and nothing changes, because moving a file aside
 * merely because this process may not read it would reset a working profile (sync login, settings).
 *
 * <p>Stateless.
 */
final class PrefsAccess {
  /**
   * SQLite primary result codes that mean "the file was read and is not a database Anki can use".
   * Every other code (CANTOPEN, PERM, AUTH, READONLY, IOERR, BUSY, LOCKED, NOMEM, FULL, ...) is about
   * reaching the file, not its content.
   */
  private static final Set<Integer> CONTENT_CODES = Set.of(
      1 /* ERROR: a statement on the schema failed */, 11 /* CORRUPT */, 17 /* SCHEMA */, 18 /* TOOBIG */,
      19 /* CONSTRAINT */, 20 /* MISMATCH */, 24 /* FORMAT */, 25 /* RANGE */, 26 /* NOTADB */);

  private PrefsAccess() {}

  /**
   * Checks that {@code db}, when it exists, is a regular file this process may read and write.
   *
   * @return whether it exists
   * @throws PrepareException CONFIG (78) when permissions or ownership stand in the way, IO (74) for
   *     another failure; either way nothing was changed
   */
  static boolean exists(Path db) throws PrepareException {
    PosixFileAttributes a;
    try {
      a = Files.readAttributes(db, PosixFileAttributes.class);
    } catch (NoSuchFileException e) {
      if (Files.exists(db, LinkOption.NOFOLLOW_LINKS)) {
        throw new PrepareException(PrepareException.Kind.CONFIG, db + " is a symbolic link to a missing file;"
            + " nothing was changed; remove the link or point it at the real prefs21.db");
      }
      return false;
    } catch (AccessDeniedException e) {
      throw denied(db, "cannot be looked at (a parent folder may not be entered)", e);
    } catch (IOException e) {
      throw new PrepareException(PrepareException.Kind.IO, "cannot look at " + db + " (" + e + "); nothing was changed", e);
    }
    if (!a.isRegularFile()) {
      throw new PrepareException(PrepareException.Kind.CONFIG, db + " is not a regular file; nothing was changed;"
          + " move it away so a prefs21.db can be written");
    }
    try (FileChannel ch = FileChannel.open(db, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      return true; // opening for writing changes nothing; Anki writes this file on every clean close (C2)
    } catch (AccessDeniedException e) {
      throw denied(db, "is owned by " + a.owner().getName() + ":" + a.group().getName() + " with mode "
          + PosixFilePermissions.toString(a.permissions()), e);
    } catch (FileSystemException e) {
      throw new PrepareException(PrepareException.Kind.IO, "cannot open " + db + " for reading and writing ("
          + e.getReason() + "); nothing was changed", e);
    } catch (IOException e) {
      throw new PrepareException(PrepareException.Kind.IO, "cannot open " + db + " (" + e + "); nothing was changed", e);
    }
  }

  /** True when {@code e} says the content is bad, false when the file could not be reached. */
  static boolean isCorruptContent(SQLException e) {
    return CONTENT_CODES.contains(e.getErrorCode() & 0xff);
  }

  /** A failure to reach the file through SQLite, as an error that changes nothing. */
  static PrepareException unreachable(Path db, SQLException e) {
    int code = e.getErrorCode() & 0xff;
    boolean permissions = code == 3 /* PERM */ || code == 8 /* READONLY */ || code == 14 /* CANTOPEN */ || code == 23 /* AUTH */;
    return new PrepareException(permissions ? PrepareException.Kind.CONFIG : PrepareException.Kind.IO, "cannot read "
        + db + " (" + e.getMessage() + "): it could not be opened, which says nothing about its content, so it is"
        + " left as it is; " + (permissions ? "give it to the user the service runs as (" + user() + ")"
        : "check the disk and try again"), e);
  }

  private static PrepareException denied(Path db, String why, IOException e) {
    return new PrepareException(PrepareException.Kind.CONFIG, db + " " + why + ", and this process runs as " + user()
        + ", who may not read and write it; nothing was changed (a file we cannot open is not corrupt);"
        + " run the supervisor as the base folder's owner or chown -R " + user() + " the base folder", e);
  }

  private static String user() {
    return System.getProperty("user.name", "this user");
  }
}
