package dev.ankisupervisor.prepare;

import dev.ankisupervisor.files.SqliteLibrary;
import dev.ankisupervisor.config.AnkiSettings;
import dev.ankisupervisor.config.SyncSettings;
import dev.ankisupervisor.files.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
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
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One seeding of one prefs21.db (see {@link PrefsSeeder} for the rules). Reads the rows, moves an
 * unreadable file aside, merges defaults + existing + seed, and writes a complete new database in a
 * temp file that is renamed over the target.
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

  /** The file is not a database Anki can read (C2: Anki would delete it and show the language dialog). */
  private static final class UnreadableException extends Exception {
    UnreadableException(String message, Throwable cause) {
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
    List<Row> rows = new ArrayList<>();
    Optional<Path> aside = Optional.empty();
    boolean existed = Files.exists(db);
    if (existed) {
      try {
        rows = readRows();
      } catch (UnreadableException e) {
        aside = Optional.of(moveAside(e.getMessage()));
        existed = false;
      }
    }
    Optional<Row> globalRow = rows.stream().filter(r -> r.name().equals(GLOBAL)).findFirst();
    Optional<Row> profileRow = rows.stream().filter(r -> r.name().equals(anki.profile())).findFirst();
    refuseOtherCase(rows, profileRow);

    Map<String, Object> oldGlobal = null;
    Map<String, Object> oldProfile = null;
    try {
      oldGlobal = globalRow.isPresent() ? PythonPickle.loadDict(globalRow.get().data()) : null;
    } catch (IOException e) {
      // C2: Anki would reset _global and show the language dialog; keep the file as it was, aside
      if (aside.isEmpty()) {
        aside = Optional.of(moveAside("row _global does not unpickle: " + e.getMessage()));
      }
    } catch (PythonPickle.UnsupportedValueException e) {
      throw unsupported(GLOBAL, e);
    }
    try {
      oldProfile = profileRow.isPresent() ? PythonPickle.loadDict(profileRow.get().data()) : null;
    } catch (IOException e) {
      // Anki would warn "profile corrupt" in a dialog (C3) and reset it; we keep the old file aside
      if (aside.isEmpty()) {
        aside = Optional.of(moveAside("row '" + anki.profile() + "' does not unpickle: " + e.getMessage()));
      }
    } catch (PythonPickle.UnsupportedValueException e) {
      throw unsupported(anki.profile(), e);
    }
    PrefsSeeds seeds = new PrefsSeeds(clock, randomId);
    Map<String, Object> global = PrefsSeeds.merge(seeds.globalDefaults(), oldGlobal);
    seeds.seedGlobal(global, anki);
    Map<String, Object> profile = PrefsSeeds.merge(seeds.profileDefaults(), oldProfile);
    seeds.seedProfile(profile);
    PrefsSeedReport.SyncKeyAction syncAction = PrefsSeeds.seedSyncLogin(profile, sync);

    List<String> changed = new ArrayList<>();
    PrefsSeeds.changedKeys("_global", oldGlobal, global, changed);
    PrefsSeeds.changedKeys("profile", oldProfile, profile, changed);
    boolean write = !existed || aside.isPresent() || !changed.isEmpty();
    if (write) {
      List<Row> out = new ArrayList<>();
      for (Row r : rows) {
        if (!r.name().equals(GLOBAL) && !r.name().equals(anki.profile())) {
          out.add(r); // other profiles: kept byte for byte
        }
      }
      out.add(new Row(GLOBAL, PythonPickle.dumpDict(global)));
      out.add(new Row(anki.profile(), PythonPickle.dumpDict(profile)));
      writeAtomically(out, aside);
      LOG.info("wrote {} (profile '{}'; set {}){}", db, anki.profile(), changed,
          aside.map(p -> "; the unreadable old file is kept as " + p).orElse(""));
    } else {
      LOG.info("{} already holds every seeded value; not rewritten", db);
    }
    return new PrefsSeedReport(write, aside, oldProfile == null, syncAction, changed);
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
              + "; prefs21.db may be written only while no Anki of " + anki.base() + " runs (C2, C7); stop that process first");
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
            + ", but '" + r.name() + "' is: Anki's -p is exact and case-sensitive (C3) and the table ignores case;"
            + " set --profile '" + r.name() + "'");
      }
    }
  }

  private List<Row> readRows() throws UnreadableException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("pragma integrity_check")) {
        String result = rs.next() ? rs.getString(1) : "no answer";
        if (!"ok".equals(result)) {
          throw new UnreadableException("integrity_check says: " + result, null);
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
          return rows; // Anki creates the table itself; so do we
        }
        throw e;
      }
      return rows;
    } catch (SQLException e) {
      throw new UnreadableException(String.valueOf(e.getMessage()), e);
    }
  }

  /** Moves prefs21.db (and any -journal/-wal/-shm beside it) to prefs21.db.corrupt-<UTC time>. */
  private Path moveAside(String why) throws PrepareException {
    String stamp = STAMP.format(clock.instant());
    Path aside = db.resolveSibling(db.getFileName() + ".corrupt-" + stamp);
    for (int n = 1; Files.exists(aside); n++) {
      aside = db.resolveSibling(db.getFileName() + ".corrupt-" + stamp + "-" + n);
    }
    try {
      Files.move(db, aside, StandardCopyOption.ATOMIC_MOVE);
      for (String suffix : List.of("-journal", "-wal", "-shm")) {
        Path side = db.resolveSibling(db.getFileName() + suffix);
        if (Files.exists(side)) {
          Files.move(side, aside.resolveSibling(aside.getFileName() + suffix), StandardCopyOption.ATOMIC_MOVE);
        }
      }
      AtomicFile.syncFolder(anki.base());
    } catch (IOException e) {
      throw io("cannot move the unreadable " + db + " aside to " + aside, e);
    }
    LOG.warn("{} is unreadable ({}); moved it to {} and writing a fresh one (C2: Anki would delete it and show the language dialog)",
        db, why, aside);
    return aside;
  }

  private void writeAtomically(List<Row> rows, Optional<Path> aside) throws PrepareException {
    Path temp = AtomicFile.tempBeside(db);
    Path tempJournal = temp.resolveSibling(temp.getFileName() + "-journal");
    try {
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + temp)) {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
          s.execute("create table profiles (name text primary key collate nocase, data blob not null)");
        }
        try (PreparedStatement ins = c.prepareStatement("insert into profiles values (?, ?)")) {
          for (Row r : rows) {
            ins.setString(1, r.name());
            ins.setBytes(2, r.data());
            ins.executeUpdate();
          }
        }
        c.commit();
      }
      Files.setPosixFilePermissions(temp, AtomicFile.MODE_0600); // it may hold the sync host key
      AtomicFile.matchOwner(temp, Files.exists(db) ? db : anki.base());
      AtomicFile.syncFile(temp);
      beforeRename.run();
      for (String suffix : List.of("-journal", "-wal", "-shm")) {
        // a leftover journal beside the target would be "replayed" into the new file: never leave one
        Files.deleteIfExists(db.resolveSibling(db.getFileName() + suffix));
      }
      AtomicFile.moveInto(temp, db);
    } catch (SQLException | IOException e) {
      throw io("cannot write " + db, e);
    } finally {
      try {
        Files.deleteIfExists(temp);
        Files.deleteIfExists(tempJournal);
      } catch (IOException e) {
        LOG.warn("cannot remove the temp file {}: {}", temp, e.getMessage());
      }
    }
  }

  private PrepareException unsupported(String row, PythonPickle.UnsupportedValueException e) {
    return new PrepareException(PrepareException.Kind.DATA, db + " row '" + row + "': " + e.getMessage()
        + "; we only rewrite plain values (C2); start Anki once interactively so it resaves the file, or move "
        + db + " aside to start fresh");
  }

  private PrepareException io(String what, Exception e) {
    return new PrepareException(PrepareException.Kind.IO, what + " (" + e.getMessage() + "); check the permissions and free space of "
        + anki.base(), e);
  }
}
