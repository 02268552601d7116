package dev.ankisupervisor.prepare;

import dev.ankisupervisor.files.SqliteLibrary;
import dev.ankisupervisor.config.AnkiSettings;
import dev.ankisupervisor.config.SyncSettings;
import dev.ankisupervisor.files.AtomicFile;
import dev.ankisupervisor.os.LockTable;
import dev.ankisupervisor.os.ProcFs;
import dev.ankisupervisor.os.ProcessIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One seeding of one prefs21.db (see {@link PrefsSeeder} for the rules). Checks the file can be
 * opened ({@link PrefsAccess}: if not, an error and nothing changes), reads the rows, moves a file
 * found corrupt aside (with its -journal/-wal/-shm), merges defaults + existing + seed, and writes a
 * copy of the whole database ({@code vacuum into}: other tables and rows stay) with only the changed
 * rows replaced, in a temp file renamed over the target. A changed existing row keeps its pickled bytes
 * and gets the changes appended ({@link PythonPickle#withItems}); a row that does not unpickle is
 * replaced only after the whole file was copied aside.
 *
 * <p>Single use, single thread.
 */
final class PrefsDatabase {
  static {
    // One unpacked copy of sqlite-jdbc's native library in the cache folder, not one per start.
    SqliteLibrary.useCachedCopy();
  }

  static final String GLOBAL = "_global";
  private static final Logger LOG = LoggerFactory.getLogger(PrefsDatabase.class);
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /** One row of the profiles table, its data as stored. */
  private record Row(String name, byte[] data) {}

  /** The file was read and is not a database Anki can read (C2: Anki would delete it and show the language dialog). */
  private static final class CorruptException extends Exception {
    CorruptException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final AnkiSettings anki;
  private final SyncSettings sync;
  private final Clock clock;
  private final LongSupplier randomId;
  private final LockTable locks;
  private final Runnable beforeRename;
  private final Path db;
  /** Where the old file went (moved when corrupt, copied when a row is replaced unread). */
  private Optional<Path> aside = Optional.empty();

  PrefsDatabase(AnkiSettings anki, SyncSettings sync, Clock clock, LongSupplier randomId, LockTable locks, Runnable beforeRename) {
    this.anki = anki;
    this.sync = sync;
    this.clock = clock;
    this.randomId = randomId;
    this.locks = locks;
    this.beforeRename = beforeRename;
    this.db = anki.prefsDb();
  }

  PrefsSeedReport seed() throws PrepareException {
    try {
      Files.createDirectories(anki.base());
    } catch (IOException e) {
      throw io("cannot create the base folder " + anki.base(), e);
    }
    refuseIfLocked();
    removeOurLeftovers();
    List<Row> rows = new ArrayList<>();
    boolean readable = PrefsAccess.exists(db);
    if (readable) {
      Optional<String> special = SideFiles.notRegular(db);
      if (special.isPresent()) {
        throw new PrepareException(PrepareException.Kind.CONFIG, special.get() + "; nothing was changed; remove it (no"
            + " Anki or SQLite makes one)");
      }
      SideFiles sides = keepSideFiles();
      try {
        rows = readRows();
      } catch (CorruptException e) {
        aside = Optional.of(moveAside(e.getMessage()));
        readable = false;
      }
      try {
        sides.settle(aside);
      } catch (IOException e) {
        throw io("cannot keep the journal files of " + db, e);
      }
    }
    Optional<Row> globalRow = rows.stream().filter(r -> r.name().equals(GLOBAL)).findFirst();
    Optional<Row> profileRow = rows.stream().filter(r -> r.name().equals(anki.profile())).findFirst();
    refuseOtherCase(rows, profileRow);

    // C2: Anki would reset an unreadable _global (language dialog) or warn and reset a profile (C3)
    Map<String, Object> oldGlobal = unpickle(globalRow);
    Map<String, Object> oldProfile = unpickle(profileRow);
    PrefsSeeds seeds = new PrefsSeeds(clock, randomId);
    Map<String, Object> global = PrefsSeeds.merge(seeds.globalDefaults(), oldGlobal);
    seeds.seedGlobal(global, anki);
    Map<String, Object> profile = PrefsSeeds.merge(seeds.profileDefaults(), oldProfile);
    seeds.seedProfile(profile);
    PrefsSeedReport.SyncKeyAction syncAction = PrefsSeeds.seedSyncLogin(profile, sync);

    List<String> changed = new ArrayList<>();
    PrefsSeeds.changedKeys("_global", oldGlobal, global, changed);
    PrefsSeeds.changedKeys("profile", oldProfile, profile, changed);
    Map<String, byte[]> writes = new LinkedHashMap<>();
    rowToWrite(globalRow, oldGlobal, global).ifPresent(b -> writes.put(GLOBAL, b));
    rowToWrite(profileRow, oldProfile, profile).ifPresent(b -> writes.put(anki.profile(), b));
    if (!writes.isEmpty()) {
      writeAtomically(readable, writes);
      LOG.info("wrote {} (profile '{}'; {} value(s) set){}", db, anki.profile(), changed.size(),
          aside.map(p -> "; the old file is kept as " + p).orElse(""));
      LOG.debug("values set in {}: {}", db, changed);
    } else {
      LOG.info("{} already holds every seeded value; not rewritten", db);
    }
    return new PrefsSeedReport(!writes.isEmpty(), aside, oldProfile == null, syncAction, changed);
  }

  /** The row's dict, or null when absent or when it does not unpickle (then the whole file is kept aside first). */
  private Map<String, Object> unpickle(Optional<Row> row) throws PrepareException {
    if (row.isEmpty()) {
      return null;
    }
    try {
      return PythonPickle.loadDict(row.get().data());
    } catch (IOException e) {
      if (aside.isEmpty()) {
        aside = Optional.of(copyAside("row '" + row.get().name() + "' does not unpickle: " + e.getMessage()));
      }
      return null;
    } catch (TolerantUnpickler.TooDeepException e) {
      throw tooDeep(row.get().name(), e);
    }
  }

  /** The new bytes of a row, when it must change: the old bytes with the changed items appended, or a fresh dict. */
  private Optional<byte[]> rowToWrite(Optional<Row> row, Map<String, Object> before, Map<String, Object> after)
      throws PrepareException {
    Map<String, Object> changes = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : after.entrySet()) {
      if (before == null || !before.containsKey(e.getKey())
          || !PythonPickle.sameValue(before.get(e.getKey()), e.getValue())) {
        changes.put(e.getKey(), e.getValue());
      }
    }
    if (changes.isEmpty()) {
      return Optional.empty();
    }
    if (before == null || row.isEmpty()) {
      return Optional.of(PythonPickle.dumpDict(after));
    }
    try {
      return Optional.of(PythonPickle.withItems(row.get().data(), changes));
    } catch (IOException e) {
      throw new IllegalStateException("row '" + row.get().name() + "' unpickled once and not again", e);
    } catch (TolerantUnpickler.TooDeepException e) {
      throw tooDeep(row.get().name(), e);
    }
  }

  private void refuseIfLocked() throws PrepareException {
    long self = ProcessHandle.current().pid();
    for (Path file : List.of(db, anki.collection())) {
      List<LockTable.Lock> held;
      try {
        held = locks.holdersOf(file);
      } catch (IOException e) {
        throw io("cannot read /proc/locks to check " + file, e);
      }
      for (LockTable.Lock l : held) {
        if (l.pid() != self) {
          String who = l.pid() > 0 ? ProcFs.system().identity(l.pid()).map(ProcessIdentity::describe).orElse("pid " + l.pid())
              : "an unknown process (open file description lock)";
          throw new PrepareException(PrepareException.Kind.CONFIG, file + " is locked by " + who
              + "; prefs21.db may be written only while no Anki of " + anki.base() + " runs (Anki would discard the changes or fail to start); stop that process first");
        }
      }
    }
  }

  private void refuseOtherCase(List<Row> rows, Optional<Row> exact) throws PrepareException {
    if (exact.isPresent()) {
      return;
    }
    for (Row r : rows) {
      if (!r.name().equals(GLOBAL) && r.name().toLowerCase(Locale.ROOT).equals(anki.profile().toLowerCase(Locale.ROOT))) {
        // Anki checks `-p NAME in profiles()` exactly (C3: else the chooser), while the table is
        // collate nocase, so no second row could be added; and the profile folder is named exactly.
        throw new PrepareException(PrepareException.Kind.CONFIG, "profile '" + anki.profile() + "' is not in " + db
            + ", but '" + r.name() + "' is: Anki's -p is exact and case-sensitive (else it shows the profile chooser) and the table ignores case;"
            + " set --profile '" + r.name() + "'");
      }
    }
  }

  private List<Row> readRows() throws CorruptException, PrepareException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("pragma integrity_check")) {
        String result = rs.next() ? rs.getString(1) : "no answer";
        if (!"ok".equals(result)) {
          throw new CorruptException("integrity_check says: " + result, null);
        }
      }
      List<Row> rows = new ArrayList<>();
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select name, cast(data as blob) from profiles")) {
        while (rs.next()) {
          byte[] data = rs.getBytes(2);
          rows.add(new Row(rs.getString(1), data == null ? new byte[0] : data));
        }
      } catch (SQLException e) {
        if (String.valueOf(e.getMessage()).contains("no such table")) {
          return rows; // Anki creates the table itself; so do we, in a copy of everything else
        }
        throw e;
      }
      return rows;
    } catch (SQLException e) {
      if (PrefsAccess.isCorruptContent(e)) {
        throw new CorruptException(String.valueOf(e.getMessage()), e);
      }
      throw PrefsAccess.unreachable(db, e);
    }
  }

  /** Temp copies a crash left beside prefs21.db hold its sync key: they go before anything else is written. */
  private void removeOurLeftovers() throws PrepareException {
    try {
      for (Path p : AtomicFile.removeLeftovers(db)) {
        LOG.warn("removed {}, a temporary copy of {} left by an interrupted run", p, db.getFileName());
      }
    } catch (IOException e) {
      throw io("cannot remove the temporary copies of " + db + " left by an interrupted run", e);
    }
  }

  /** {@code prefs21.db.<label>-<UTC time>}, free. */
  private Path asideName(String label) {
    String stamp = STAMP.format(clock.instant());
    Path p = db.resolveSibling(db.getFileName() + "." + label + "-" + stamp);
    for (int n = 1; isTaken(p); n++) {
      p = db.resolveSibling(db.getFileName() + "." + label + "-" + stamp + "-" + n);
    }
    return p;
  }

  private SideFiles keepSideFiles() throws PrepareException {
    try {
      return SideFiles.keep(db, asideName("leftover"));
    } catch (IOException e) {
      throw io("cannot keep the journal files of " + db + " before opening it", e);
    }
  }

  private static boolean isTaken(Path name) {
    return Files.exists(name, LinkOption.NOFOLLOW_LINKS) || SideFiles.SUFFIXES.stream()
        .anyMatch(x -> Files.exists(name.resolveSibling(name.getFileName() + x), LinkOption.NOFOLLOW_LINKS));
  }

  /** Moves the corrupt prefs21.db to prefs21.db.corrupt-<UTC time>; its side files follow ({@link SideFiles#settle}). */
  private Path moveAside(String why) throws PrepareException {
    Path to = asideName("corrupt");
    try {
      Files.move(db, to, StandardCopyOption.ATOMIC_MOVE);
      AtomicFile.syncFolder(anki.base());
    } catch (IOException e) {
      throw io("cannot move the corrupt " + db + " aside to " + to, e);
    }
    LOG.warn("{} is corrupt ({}); moved it to {} and writing a fresh one (Anki would delete it and show the language dialog)",
        db, why, to);
    return to;
  }

  /** Copies the whole prefs21.db (readable, but one row not) before that row is replaced. */
  private Path copyAside(String why) throws PrepareException {
    Path to = asideName("corrupt");
    try {
      Files.copy(db, to, StandardCopyOption.COPY_ATTRIBUTES);
      AtomicFile.syncFile(to);
    } catch (IOException e) {
      throw io("cannot keep a copy of " + db + " at " + to + " before replacing a row", e);
    }
    LOG.warn("{}: {}; kept the whole file as {} and writing that row fresh (Anki would reset it)", db, why, to);
    return to;
  }

  /**
   * Writes a copy of the current database (when it was readable) or a fresh one, with {@code rows}
   * inserted or replaced, and renames it over prefs21.db.
   */
  private void writeAtomically(boolean copyCurrent, Map<String, byte[]> rows) throws PrepareException {
    Path temp = AtomicFile.tempBeside(db);
    try {
      // 0600 before the first byte: the copy holds the whole file, the sync key (C8) included. SQLite
      // writes `vacuum into` into an empty file, and gives the copy's journal the copy's mode.
      AtomicFile.createPrivate(temp, AtomicFile.MODE_0600);
      if (copyCurrent) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
          s.execute("vacuum into '" + temp.toString().replace("'", "''") + "'"); // every table, row and index
        }
      }
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + temp)) {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
          s.execute("create table if not exists profiles (name text primary key collate nocase, data blob not null)");
        }
        try (PreparedStatement ins = c.prepareStatement("insert or replace into profiles (name, data) values (?, ?)")) {
          for (Map.Entry<String, byte[]> r : rows.entrySet()) {
            ins.setString(1, r.getKey());
            ins.setBytes(2, r.getValue());
            ins.executeUpdate();
          }
        }
        c.commit();
      }
      AtomicFile.matchOwner(temp, Files.exists(db) ? db : anki.base());
      AtomicFile.syncFile(temp);
      beforeRename.run();
      if (SideFiles.anyBeside(db)) {
        // a leftover journal beside the target would be "replayed" into the new file; keep it, aside
        Path to = asideName("leftover");
        SideFiles.moveBeside(db, to);
        LOG.warn("moved leftover journal files of {} to {}-*", db, to);
      }
      AtomicFile.moveInto(temp, db);
    } catch (SQLException | IOException e) {
      throw io("cannot write " + db, e);
    } finally {
      for (String suffix : List.of("", "-journal", "-wal", "-shm")) {
        Path p = temp.resolveSibling(temp.getFileName() + suffix);
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          LOG.warn("cannot remove the temp file {}: {}", p, e.getMessage());
        }
      }
    }
  }

  /** Valid data we cannot read: refused whole (65), never replaced, since Anki reads it. */
  private PrepareException tooDeep(String row, TolerantUnpickler.TooDeepException e) {
    return new PrepareException(PrepareException.Kind.DATA, "row '" + row + "' of " + db + " holds " + e.getMessage()
        + "; nothing was changed; keep it and prepare the base by hand, or remove that value in Anki (or the row,"
        + " after a copy of the file)", e);
  }

  private PrepareException io(String what, Exception e) {
    PrepareException.Kind kind = e instanceof java.nio.file.AccessDeniedException
        ? PrepareException.Kind.CONFIG : PrepareException.Kind.IO;
    return new PrepareException(kind, what + " (" + e.getMessage() + "); nothing was changed; check the permissions"
        + " and free space of " + anki.base(), e);
  }
}
