package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.ankisupervisor.files.FolderLock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code prepare} (the jar, as a real process) does to a user's prefs21.db (C2) made by real
 * CPython and SQLite: a file it cannot open is an error and nothing changes; data outside the two
 * rows it seeds is kept; values it does not change keep their pickled bytes, whatever their type; and
 * junk journals beside a corrupt file move with it.
 */
class PrefsDataIT {
  /** Debian's CPython (the pyenv one on PATH works too; this one is always there on CI). */
  private static final String PYTHON = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
  /** An unprivileged system user for permission tests (created when missing; needs root). */
  private static final String USER = "anki-it";

  @TempDir Path dir;
  private Path base;
  private Path db;

  @BeforeEach
  void installAddon() throws Exception {
    base = dir.resolve("anki");
    db = base.resolve("prefs21.db");
    SupervisorProcess.installAnkiConnect(base, SupervisorProcess.freePort());
  }

  private JarCommand prepare() {
    return new JarCommand("prepare", "--base", base.toString(), "--bind", "127.0.0.1", "--profile", "server",
        "--state-dir", dir.resolve("state").toString());
  }

  /** Runs {@code script} with CPython; argv[1] is prefs21.db. Returns stdout. */
  private String python(String script) throws Exception {
    Process p = new ProcessBuilder(PYTHON, "-c", script, db.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  /** The base folder's file names and contents (the owner lock aside: it is how prepare claims the base). */
  private Map<String, String> baseFiles() throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.list(base)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        if (!p.getFileName().toString().equals(FolderLock.FILE_NAME)) {
          out.put(p.getFileName().toString(), java.util.HexFormat.of().formatHex(Files.readAllBytes(p)));
        }
      }
    }
    return out;
  }

  private static void ensureUser() throws Exception {
    Process p = new ProcessBuilder("id", "-u", USER).start();
    if (p.waitFor() != 0) {
      Process add = new ProcessBuilder("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", USER)
          .inheritIO().start();
      int code = add.waitFor();
      assertThat(code).as("useradd " + USER).isIn(0, 9); // 9: created meanwhile by a parallel test
    }
  }

  private static final String SEED_GLOBAL = "g = {'firstRun': True, 'defaultLang': 'de_DE', 'id': 7, 'created': 5}\n";

  @Test
  void aPrefsFileThisUserMayNotOpenIsAnErrorAndNothingChanges() throws Exception {
    assumeThat(System.getProperty("user.name")).as("needs root to run as another user").isEqualTo("root");
    ensureUser();
    python("import sqlite3, pickle, sys\n" + SEED_GLOBAL
        + "c = sqlite3.connect(sys.argv[1]); c.execute('create table profiles (name text primary key collate nocase, data blob not null)')\n"
        + "c.execute('insert into profiles values (?, ?)', ('_global', pickle.dumps(g, protocol=4)))\n"
        + "c.execute('insert into profiles values (?, ?)', ('server', pickle.dumps({'syncKey': 'secret-login', 'syncUser': 'u'}, protocol=4)))\n"
        + "c.commit()\n");
    Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-------")); // root's, 0600
    // the user may enter and write the base (so it COULD move the file aside), but not read prefs21.db
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    new ProcessBuilder("chown", "-R", USER, base.toString()).inheritIO().start().waitFor();
    new ProcessBuilder("chown", "root:root", db.toString()).inheritIO().start().waitFor();
    Map<String, String> before = baseFiles();

    JarCommand.Result r = prepare().asUser(USER).run();

    assertThat(r.exit()).as(r.toString()).isEqualTo(78);
    assertThat(r.err()).as(r.toString()).contains(db.toString()).contains("owned by root").contains("nothing was changed")
        .contains("chown").doesNotContain("\tat ");
    assertThat(baseFiles()).as("prefs21.db untouched, nothing moved aside or written").isEqualTo(before);
  }

  @Test
  void tablesAndRowsOutsideTheSeededRowsAreKept() throws Exception {
    python("import sqlite3, pickle, sys\n" + SEED_GLOBAL
        + "c = sqlite3.connect(sys.argv[1]); c.execute('create table profiles (name text primary key collate nocase, data blob not null)')\n"
        + "c.execute('insert into profiles values (?, ?)', ('_global', pickle.dumps(g, protocol=4)))\n"
        + "c.execute('insert into profiles values (?, ?)', ('Other', pickle.dumps({'x': 1}, protocol=4)))\n"
        + "c.execute('create table addon_notes (k text primary key, v text)')\n"
        + "c.execute('create index addon_notes_v on addon_notes (v)')\n"
        + "c.executemany('insert into addon_notes values (?, ?)', [('a', 'one'), ('b', 'two')])\n"
        + "c.commit()\n");

    JarCommand.Result r = prepare().run();

    assertThat(r.exit()).as(r.toString()).isZero();
    List<String> kept = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("select k || '=' || v from addon_notes order by k")) {
        while (rs.next()) {
          kept.add(rs.getString(1));
        }
      }
      try (ResultSet rs = s.executeQuery("select count(*) from sqlite_master where name = 'addon_notes_v'")) {
        assertThat(rs.getInt(1)).as("the index too").isOne();
      }
    }
    assertThat(kept).containsExactly("a=one", "b=two");
    String py = python("import sqlite3, pickle, sys\nc = sqlite3.connect(sys.argv[1])\n"
        + "for n, d in c.execute('select name, data from profiles order by name'): print(n, sorted(pickle.loads(d).items()))\n");
    assertThat(py).contains("Other [('x', 1)]").contains("('firstRun', False)").contains("server [");
  }

  @Test
  void unusualButValidPicklesSurviveByteForByteAndAreNeverCalledCorrupt() throws Exception {
    // frozenset + bytearray (protocol 4), frozenset (protocol 2), NaN (protocol 0), a class we do not model
    python("import sqlite3, pickle, sys, collections\n"
        + "c = sqlite3.connect(sys.argv[1]); c.execute('create table profiles (name text primary key collate nocase, data blob not null)')\n"
        + "g = {'firstRun': True, 'defaultLang': 'de_DE', 'fs': frozenset({1, 2}), 'ba': bytearray(b'xy'), 'od': collections.OrderedDict(a=1)}\n"
        + "c.execute('insert into profiles values (?, ?)', ('_global', pickle.dumps(g, protocol=4)))\n"
        + "c.execute('insert into profiles values (?, ?)', ('server', pickle.dumps({'fs2': frozenset({3}), 'autoSync': True}, protocol=2)))\n"
        + "c.execute('insert into profiles values (?, ?)', ('nan0', pickle.dumps({'n': float('nan'), 'i': float('-inf')}, protocol=0)))\n"
        + "c.commit()\n");
    byte[] nanRow = row("nan0");
    byte[] globalBefore = row("_global");
    byte[] serverBefore = row("server");

    JarCommand.Result r = prepare().run();

    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out() + r.err()).doesNotContain("corrupt");
    try (Stream<Path> s = Files.list(base)) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".corrupt-"));
    }
    assertThat(row("nan0")).as("a row we do not seed: byte for byte").isEqualTo(nanRow);
    // rows we change keep every original byte up to STOP; our changes come after
    assertThat(startsWith(row("_global"), globalBefore)).isTrue();
    assertThat(startsWith(row("server"), serverBefore)).isTrue();
    String py = python("import sqlite3, pickle, sys, math\nc = sqlite3.connect(sys.argv[1])\n"
        + "rows = {n: pickle.loads(d) for n, d in c.execute('select name, data from profiles')}\n"
        + "g, s, n = rows['_global'], rows['server'], rows['nan0']\n"
        + "print(type(g['fs']).__name__, sorted(g['fs']), type(g['ba']).__name__, bytes(g['ba']), type(g['od']).__name__, g['firstRun'])\n"
        + "print(type(s['fs2']).__name__, sorted(s['fs2']), s['autoSync'])\n"
        + "print(math.isnan(n['n']), n['i'])\n");
    assertThat(py).contains("frozenset [1, 2] bytearray b'xy' OrderedDict False")
        .contains("frozenset [3] False").contains("True -inf");
  }

  @Test
  void junkJournalsBesideACorruptFileMoveWithItAndAreNeverUnlinked() throws Exception {
    Files.writeString(db, "this is not a database, but someone's data");
    Files.writeString(base.resolve("prefs21.db-journal"), "junk journal bytes, perhaps worth something");
    Files.writeString(base.resolve("prefs21.db-wal"), "junk wal bytes");

    JarCommand.Result r = prepare().run();

    assertThat(r.exit()).as(r.toString()).isZero();
    Map<String, String> files = baseFiles();
    String aside = files.keySet().stream().filter(n -> n.matches("prefs21\\.db\\.corrupt-\\d{8}T\\d{6}Z(-\\d+)?"))
        .findFirst().orElseThrow(() -> new AssertionError("no corrupt copy in " + files.keySet()));
    assertThat(Files.readString(base.resolve(aside))).isEqualTo("this is not a database, but someone's data");
    assertThat(Files.readString(base.resolve(aside + "-journal"))).isEqualTo("junk journal bytes, perhaps worth something");
    assertThat(Files.readString(base.resolve(aside + "-wal"))).isEqualTo("junk wal bytes");
    assertThat(base.resolve("prefs21.db-journal")).doesNotExist();
  }

  private static boolean startsWith(byte[] after, byte[] before) {
    // everything of the old pickle but its final STOP byte
    return after.length > before.length && java.util.Arrays.equals(after, 0, before.length - 1, before, 0, before.length - 1);
  }

  private byte[] row(String name) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        java.sql.PreparedStatement q = c.prepareStatement("select data from profiles where name = ?")) {
      q.setString(1, name);
      try (ResultSet rs = q.executeQuery()) {
        return rs.next() ? rs.getBytes(1) : null;
      }
    }
  }
}
