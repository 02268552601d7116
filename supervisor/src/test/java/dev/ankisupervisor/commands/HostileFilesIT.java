package dev.ankisupervisor.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ankisupervisor.files.FolderLock;
import dev.ankisupervisor.testing.Python3;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile files, each through the shaded jar as a real process against real files, links, FIFOs,
 * SQLite databases and processes (docs/safety.md): a lock file that is a symbolic link, pickles
 * that nest themselves or nest deep, a status or metrics file that is not ours, an Anki command the
 * kernel cannot execute, a status file whose pid now names another process, an add-on source with a
 * FIFO or a link to a secret, and the temporary copy of prefs21.db.
 */
class HostileFilesIT {
  @TempDir Path dir;

  private String[] prepareArgs(Path base, String... more) throws Exception {
    SupervisorProcess.installAnkiConnect(base, 18765);
    List<String> args = new ArrayList<>(List.of("prepare", "--base", base.toString(), "--bind", "127.0.0.1",
        "--connect-port", "18765", "--state-dir", dir.resolve("state").toString(), "--network-timeout", "1s"));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  private JarCommand.Result prepare(Path base, String... more) throws Exception {
    return new JarCommand(prepareArgs(base, more)).run();
  }

  // ---- a lock file that is a symbolic link ----

  @Test
  void aLockFileThatIsASymbolicLinkIsRefusedAndWhatItNamesIsNotTouched() throws Exception {
    Path base = dir.resolve("anki");
    Files.createDirectories(base);
    Path victim = Files.writeString(dir.resolve("victim.txt"), "precious, not a lock\n");
    Files.createSymbolicLink(base.resolve(FolderLock.FILE_NAME), victim);

    JarCommand.Result r = prepare(base);

    assertThat(r.exit()).as(r.toString()).isEqualTo(78);
    assertThat(r.err()).contains(base.resolve(FolderLock.FILE_NAME).toString(), "symbolic link").doesNotContain("\tat ");
    assertThat(Files.readString(victim)).isEqualTo("precious, not a lock\n");
    assertThat(base.resolve("prefs21.db")).doesNotExist();

    // the state folder's lock too (run claims both)
    Path state = Files.createDirectories(dir.resolve("state2"));
    Path victim2 = Files.writeString(dir.resolve("victim2.txt"), "also precious\n");
    Files.createSymbolicLink(state.resolve(FolderLock.FILE_NAME), victim2);
    JarCommand.Result run = new JarCommand("run", "--base", dir.resolve("other").toString(), "--bind", "127.0.0.1",
        "--state-dir", state.toString(), "--status-file", state.resolve("sync-status.json").toString(),
        "--anki-command", "/bin/false").run();
    assertThat(run.exit()).as(run.toString()).isEqualTo(78);
    assertThat(Files.readString(victim2)).isEqualTo("also precious\n");
  }

  // ---- pickles that hold themselves or nest very deep ----

  /** Writes prefs21.db with a normal _global and a profile row {@code server} of the given kind, made by CPython. */
  private static byte[] prefsWithRow(Path base, String kind) throws Exception {
    Files.createDirectories(base);
    String script = String.join("\n",
        "import sqlite3, pickle, sys",
        "db, kind, n = sys.argv[1], sys.argv[2], 100000",
        "def s(x): return b'X' + len(x).to_bytes(4, 'little') + x.encode()",
        "if kind == 'self':",
        "    d = {'numBackups': 50}; d['self'] = d; d['nested'] = [d, {'back': d}]",
        "    data = pickle.dumps(d, protocol=2)",
        "elif kind == 'lists':",
        "    data = b'\\x80\\x02}(' + s('numBackups') + b'K2' + s('deep') + b']' * n + b'a' * (n - 1) + b'u.'",
        "else:",
        "    data = b'\\x80\\x04}(' + s('numBackups') + b'K2' + s('deep') + b'(' * n + b'\\x91' * n + b'u.'",
        "pickle.loads(data)  # valid pickle data: CPython reads it",
        "c = sqlite3.connect(db)",
        "c.execute('create table profiles (name text primary key collate nocase, data blob not null)')",
        "g = {'firstRun': False, 'defaultLang': 'en_US', 'last_loaded_profile_name': 'server', 'ver': 0}",
        "c.execute('insert into profiles values (?, ?)', ('_global', pickle.dumps(g, protocol=2)))",
        "c.execute('insert into profiles values (?, ?)', ('server', data))",
        "c.commit()");
    Python3.run(script, base.resolve("prefs21.db").toString(), kind);
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + base.resolve("prefs21.db"));
        java.sql.ResultSet rs = c.createStatement().executeQuery("select data from profiles where name = 'server'")) {
      assertThat(rs.next()).isTrue();
      return rs.getBytes(1);
    }
  }

  @Test
  void aSelfReferencingOrVeryDeepPickleKeepsItsBytesAndNeverCrashes() throws Exception {
    for (String kind : List.of("self", "lists", "frozensets")) {
      Path base = dir.resolve("anki-" + kind);
      byte[] original = prefsWithRow(base, kind);

      JarCommand.Result r = prepare(base, "--profile", "server");

      assertThat(r.exit()).as(kind + ": " + r).isZero();
      assertThat(r.err()).as(kind).doesNotContain("StackOverflowError", "\tat ");
      // the row keeps its bytes up to STOP; the seeded keys are appended, and CPython reads it all back
      String check = String.join("\n",
          "import sqlite3, pickle, sys",
          "c = sqlite3.connect(sys.argv[1])",
          "data = c.execute(\"select data from profiles where name = 'server'\").fetchone()[0]",
          "d = pickle.loads(data)",
          "assert data.startswith(open(sys.argv[2], 'rb').read()[:-1]), 'the original bytes changed'",
          "assert d['autoSync'] is False and d['numBackups'] == 50, d.keys()",
          "if sys.argv[3] == 'self': assert d['self'] is d and d['nested'][1]['back'] is d",
          "print('ok')");
      Path originalFile = Files.write(dir.resolve(kind + ".pickle"), original);
      assertThat(Python3.run(check, base.resolve("prefs21.db").toString(), originalFile.toString(), kind).strip())
          .as(kind).isEqualTo("ok");
    }
  }

  // ---- a status or metrics file that is not ours ----

  @Test
  void aStatusOrMetricsFileThatIsNotOursIsNeverReplaced() throws Exception {
    Path base = dir.resolve("anki");
    SupervisorProcess.installAnkiConnect(base, 18765);
    Path collection = Files.createDirectories(base.resolve("server")).resolve("collection.anki2");
    Python3.run("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('create table cards (id)');"
        + " c.execute('insert into cards values (1)'); c.commit()", collection.toString());
    byte[] cards = Files.readAllBytes(collection);
    Path notes = Files.writeString(dir.resolve("notes.txt"), "my notes\n");
    Path otherProm = Files.writeString(dir.resolve("node.prom"), "# HELP node_thing x\nnode_thing 1\n");
    Path emptyNew = dir.resolve("new-status.json");

    record Case(String flag, Path file, String says) {}
    for (Case c : List.of(new Case("--status-file", collection, "inside the Anki base folder"),
        new Case("--status-file", base.resolve("prefs21.db"), "one of Anki's or the supervisor's own files"),
        new Case("--status-file", dir.resolve("state/anki.pid"), "one of Anki's or the supervisor's own files"),
        new Case("--status-file", notes, "not an anki-supervisor status file"),
        new Case("--metrics-file", otherProm, "not an anki-supervisor metrics file"),
        new Case("--metrics-file", collection, "inside the Anki base folder"))) {
      List<String> args = new ArrayList<>(List.of("run", "--base", base.toString(), "--bind", "127.0.0.1",
          "--state-dir", dir.resolve("state").toString(), "--anki-command", "/bin/false", "--network-timeout", "1s"));
      if (c.flag().equals("--metrics-file")) {
        args.addAll(List.of("--status-file", emptyNew.toString()));
      }
      args.addAll(List.of(c.flag(), c.file().toString()));
      JarCommand.Result r = new JarCommand(args.toArray(String[]::new)).run();
      assertThat(r.exit()).as(c + ": " + r).isEqualTo(78);
      assertThat(r.err()).as(c.toString()).contains(c.flag(), c.file().toString(), c.says()).doesNotContain("\tat ");
    }
    assertThat(Arrays.equals(Files.readAllBytes(collection), cards)).as("the cards are still there").isTrue();
    assertThat(Files.readString(notes)).isEqualTo("my notes\n");
    assertThat(Files.readString(otherProm)).startsWith("# HELP node_thing");
    assertThat(emptyNew).doesNotExist();
    assertThat(base.resolve("prefs21.db")).as("refused before anything was written").doesNotExist();
  }

  @Test
  void aStatusFileWhoseFolderIsAFileOrThatAnotherLiveSupervisorWritesIsRefusedAtOnce() throws Exception {
    Path aFile = Files.writeString(dir.resolve("plain"), "x");
    JarCommand.Result r = new JarCommand("run", "--base", dir.resolve("anki").toString(), "--bind", "127.0.0.1",
        "--state-dir", dir.resolve("state").toString(), "--anki-command", "/bin/false",
        "--status-file", aFile.resolve("sync-status.json").toString()).run();
    assertThat(r.exit()).as(r.toString()).isEqualTo(78);
    assertThat(r.err()).contains("--status-file", aFile.toString(), "not a folder").hasLineCount(1);

    Files.createDirectories(dir.resolve("one"));
    try (SupervisorProcess first = new SupervisorProcess(dir.resolve("one"))) {
      first.start();
      first.awaitReady(1);
      Path shared = first.stateDir.resolve("sync-status.json");
      String before = Files.readString(shared);
      JarCommand.Result second = new JarCommand("run", "--base", dir.resolve("two").toString(), "--bind", "127.0.0.1",
          "--state-dir", dir.resolve("two-state").toString(), "--anki-command", "/bin/false",
          "--status-file", shared.toString()).run();
      assertThat(second.exit()).as(second.toString()).isEqualTo(78);
      assertThat(second.err()).contains("--status-file", "pid " + first.process().pid(), "another supervisor");
      assertThat(Files.readString(shared)).contains("\"pid\" : " + first.process().pid());
      assertThat(first.process().isAlive()).isTrue();
      assertThat(before).contains("\"startTicks\"");
    }
  }

  // ---- an Anki command the kernel cannot execute ----

  @Test
  void anAnkiCommandWhoseInterpreterIsMissingOrThatHasNoShebangIs78AtTheFirstLaunch() throws Exception {
    Path noInterpreter = Files.writeString(dir.resolve("anki-broken-venv"), "#!" + dir.resolve("venv/bin/python3")
        + "\nimport aqt\n");
    Path noShebang = Files.writeString(dir.resolve("anki-no-shebang"), "import aqt\naqt.run()\n");
    for (Path p : List.of(noInterpreter, noShebang)) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    record Case(Path command, String reason) {}
    for (Case c : List.of(new Case(noInterpreter, "interpreter " + dir.resolve("venv/bin/python3") + " does not exist"),
        new Case(noShebang, "neither a program nor a script starting with #!"))) {
      Path runDir = Files.createDirectories(dir.resolve("run-" + c.command().getFileName()));
      try (SupervisorProcess run = new SupervisorProcess(runDir).set("--anki-command", c.command().toString()).start()) {
        assertThat(run.awaitExit()).as(run.log()).isEqualTo(78);
        assertThat(run.log()).contains(c.command().toString(), c.reason());
        assertThat(run.count("-> starting")).as("one launch, no crash loop").isEqualTo(1);
        assertThat(run.count("-> backing_off")).isZero();
      }
    }
  }

  // ---- a status file whose pid now names another process ----

  @Test
  void statusIsCriticalForAReadyFileWhosePidNowBelongsToAnotherProcess() throws Exception {
    Path status;
    try (SupervisorProcess run = new SupervisorProcess(dir).set("--sync-interval", "0").args("--no-sync-on-start")) {
      run.start();
      run.awaitReady(1);
      status = run.stateDir.resolve("sync-status.json");
      Path written = status;
      org.awaitility.Awaitility.await().atMost(SupervisorProcess.WAIT)
          .until(() -> SupervisorProcess.read(written).orElse("").contains("\"ready\""));
      run.process().destroyForcibly().waitFor(); // died without stopping: the file still says ready
    }
    Process reused = new ProcessBuilder("sleep", "600").start(); // the pid the file names, now another process
    try {
      String text = Files.readString(status);
      assertThat(text).contains("\"ready\"", "\"disabled\"");
      Files.writeString(status, text.replaceFirst("\"pid\" : \\d+", "\"pid\" : " + reused.pid()));

      JarCommand.Result r = new JarCommand("status", "--status-file", status.toString()).run();

      assertThat(r.exit()).as(r.toString()).isEqualTo(2);
      assertThat(r.out()).startsWith("CRITICAL: stale status file: supervisor pid " + reused.pid() + " is gone");
      assertThat(reused.isAlive()).isTrue();
    } finally {
      reused.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  // ---- an add-on source with a FIFO, a link out of it, and modes ----

  private Path addonSource() throws Exception {
    Path source = Files.createDirectories(dir.resolve("store/anki-connect"));
    Files.writeString(source.resolve("__init__.py"), "# AnkiConnect\n");
    Files.createDirectories(source.resolve("web"));
    Files.writeString(source.resolve("web/a.js"), "a");
    return source;
  }

  @Test
  void anAddonSourceWithAFifoOrALinkOutOfItIsRefusedAndModesAreKept() throws Exception {
    Path source = addonSource();
    Path fifo = source.resolve("web/pipe");
    Python3.run("import os, sys; os.mkfifo(sys.argv[1])", fifo.toString());
    Path base = dir.resolve("anki");

    long started = System.nanoTime();
    JarCommand.Result r = prepare(base, "--addon-source", source.toString());
    assertThat(r.exit()).as(r.toString()).isEqualTo(78);
    assertThat(r.err()).contains(fifo.toString(), "FIFO").doesNotContain("\tat ");
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(30);
    Files.delete(fifo);

    // a link out of the source, to a file others may not read: refused, never copied
    Path secret = Files.writeString(dir.resolve("secret.key"), "s3cret\n");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    Path link = source.resolve("web/key.txt");
    Files.createSymbolicLink(link, secret);
    JarCommand.Result linked = prepare(base, "--addon-source", source.toString());
    assertThat(linked.exit()).as(linked.toString()).isEqualTo(78);
    assertThat(linked.err()).contains(link.toString(), secret.toString(), "outside");
    assertThat(grep(base, "s3cret")).as("the secret is copied nowhere").isEmpty();
    Files.delete(link);

    // modes are kept (owner write added): a 0600 file stays private, 0755 stays executable
    Files.writeString(source.resolve("private.py"), "x = 1\n");
    Files.setPosixFilePermissions(source.resolve("private.py"), PosixFilePermissions.fromString("rw-------"));
    Files.setPosixFilePermissions(source.resolve("web/a.js"), PosixFilePermissions.fromString("r-xr-xr-x"));
    JarCommand.Result ok = prepare(base, "--addon-source", source.toString());
    assertThat(ok.exit()).as(ok.toString()).isZero();
    Path target = base.resolve("addons21/2055492159");
    assertThat(mode(target.resolve("private.py"))).isEqualTo("rw-------");
    assertThat(mode(target.resolve("web/a.js"))).isEqualTo("rwxr-xr-x");
    assertThat(mode(target.resolve("__init__.py"))).isIn("rw-r--r--", "rw-rw-r--");
  }

  @Test
  void aFifoBesidePrefsIsRefusedInsteadOfBlockingSqlite() throws Exception {
    Path base = dir.resolve("anki");
    Files.createDirectories(base);
    Python3.run("import sqlite3, pickle, sys; c = sqlite3.connect(sys.argv[1]); c.execute('create table profiles"
        + " (name text primary key collate nocase, data blob not null)'); c.execute('insert into profiles values (?, ?)',"
        + " ('_global', pickle.dumps({'firstRun': True}))); c.commit()", base.resolve("prefs21.db").toString());
    byte[] prefs = Files.readAllBytes(base.resolve("prefs21.db"));
    Path journal = base.resolve("prefs21.db-journal");
    Python3.run("import os, sys; os.mkfifo(sys.argv[1])", journal.toString());

    JarCommand.Result r = prepare(base);

    assertThat(r.exit()).as(r.toString()).isEqualTo(78);
    assertThat(r.err()).contains(journal.toString(), "FIFO").doesNotContain("\tat ");
    assertThat(Arrays.equals(Files.readAllBytes(base.resolve("prefs21.db")), prefs)).isTrue();
  }

  @Test
  void runWithAFifoInTheAddonSourceEndsWith78InsteadOfStartingForever() throws Exception {
    Path source = addonSource();
    Python3.run("import os, sys; os.mkfifo(sys.argv[1])", source.resolve("pipe").toString());
    try (SupervisorProcess run = new SupervisorProcess(dir).args("--addon-source", source.toString()).start()) {
      assertThat(run.awaitExit()).as(run.log()).isEqualTo(78);
      assertThat(run.log()).contains(source.resolve("pipe").toString(), "FIFO");
    }
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
  }

  private static List<Path> grep(Path root, String text) throws Exception {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(root)) {
      List<Path> out = new ArrayList<>();
      for (Path p : walk.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).toList()) {
        if (new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).contains(text)) {
          out.add(p);
        }
      }
      return out;
    }
  }

  // ---- rough edges: a profile that looks like an option, a sub-second interval, a read-only state folder ----

  @Test
  void aProfileStartingWithADashOrASubSecondSyncIntervalIsRefusedBySource() throws Exception {
    Path base = dir.resolve("anki");
    JarCommand.Result flag = prepare(base, "--profile", "-x");
    assertThat(flag.exit()).as(flag.toString()).isEqualTo(64);
    assertThat(flag.err()).contains("starts with '-'").hasLineCount(1);
    JarCommand.Result env = new JarCommand(prepareArgs(base)).env("ANKI_SUPERVISOR_PROFILE", "--safemode").run();
    assertThat(env.exit()).as(env.toString()).isEqualTo(78);
    assertThat(env.err()).contains("starts with '-'", "ANKI_SUPERVISOR_PROFILE");

    JarCommand.Result tiny = prepare(base, "--sync-interval", "PT0.0000001S");
    assertThat(tiny.exit()).as(tiny.toString()).isEqualTo(64);
    assertThat(tiny.err()).contains("--sync-interval", "shorter than 1s").hasLineCount(1);
    JarCommand.Result tinyEnv = new JarCommand(prepareArgs(base)).env("ANKI_SUPERVISOR_SYNC_INTERVAL", "500ms").run();
    assertThat(tinyEnv.exit()).as(tinyEnv.toString()).isEqualTo(78);
    assertThat(tinyEnv.err()).contains("shorter than 1s", "ANKI_SUPERVISOR_SYNC_INTERVAL");
    assertThat(base.resolve("prefs21.db")).as("refused before anything was written").doesNotExist();

    JarCommand.Result off = prepare(base, "--sync-interval", "0");
    assertThat(off.exit()).as("0 still turns the loop off: " + off).isZero();
  }

  @Test
  void aStateFolderThatCannotBeWrittenIsNamedAsSuchNotAsProc() throws Exception {
    Path base = dir.resolve("anki");
    SupervisorProcess.installAnkiConnect(base, 18765);
    Path state = Files.createDirectories(dir.resolve("state"));
    Files.createFile(state.resolve(FolderLock.FILE_NAME));
    Files.writeString(state.resolve("anki.pid"), "99999999 5\n"); // a stale pidfile the clearer must remove
    Process chattr = new ProcessBuilder("chattr", "+i", state.toString()).inheritIO().start();
    org.junit.jupiter.api.Assumptions.assumeTrue(chattr.waitFor() == 0, "chattr +i works here (root, ext4)");
    try {
      JarCommand.Result r = new JarCommand("run", "--base", base.toString(), "--bind", "127.0.0.1", "--connect-port",
          "18765", "--state-dir", state.toString(), "--anki-command", "/bin/false", "--network-timeout", "1s").run();
      assertThat(r.exit()).as(r.toString()).isEqualTo(74);
      assertThat(r.err()).contains("state folder must be writable", "--state-dir").doesNotContain("/proc");
    } finally {
      new ProcessBuilder("chattr", "-i", state.toString()).inheritIO().start().waitFor();
    }
  }

  // ---- the temporary copy of prefs21.db ----

  @Test
  void theTemporaryCopyOfPrefsIsNeverReadableByOthersAndOurLeftoversGo() throws Exception {
    Path base = dir.resolve("anki");
    Files.createDirectories(base);
    // a big prefs21.db (another table of 64 MiB) so that `vacuum into` takes a while to watch
    Python3.run(String.join("\n",
        "import sqlite3, pickle, sys",
        "c = sqlite3.connect(sys.argv[1])",
        "c.execute('create table profiles (name text primary key collate nocase, data blob not null)')",
        "c.execute('insert into profiles values (?, ?)', ('_global', pickle.dumps({'firstRun': True}, protocol=2)))",
        "c.execute('create table big (b blob)')",
        "c.execute('with recursive n(i) as (select 1 union all select i + 1 from n where i < 64)"
            + " insert into big select randomblob(1048576) from n')",
        "c.commit()"), base.resolve("prefs21.db").toString());
    Files.setPosixFilePermissions(base.resolve("prefs21.db"), PosixFilePermissions.fromString("rw-------"));
    Path leftover = Files.writeString(base.resolve(".prefs21.db.tmp-0badf00d"), "an old copy with the sync key");
    Path leftoverJournal = Files.writeString(base.resolve(".prefs21.db.tmp-0badf00d-journal"), "x");
    Path notOurs = Files.writeString(base.resolve(".prefs21.db.tmp-mine"), "someone else's");

    ProcessBuilder pb = new ProcessBuilder(command(prepareArgs(base, "--profile", "server")))
        .redirectErrorStream(true).redirectOutput(dir.resolve("prepare.log").toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("ANKI_SUPERVISOR_") || k.equals("NOTIFY_SOCKET"));
    Process p = pb.start();
    Set<String> modesSeen = new TreeSet<>();
    while (p.isAlive()) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(base, ".prefs21.db.tmp-*")) {
        for (Path t : ds) {
          if (!t.equals(leftover) && !t.equals(leftoverJournal) && !t.equals(notOurs)) {
            try {
              Set<PosixFilePermission> m = Files.getPosixFilePermissions(t, LinkOption.NOFOLLOW_LINKS);
              modesSeen.add(PosixFilePermissions.toString(m));
            } catch (java.io.IOException gone) {
              // renamed or removed while we looked
            }
          }
        }
      }
    }
    String log = Files.readString(dir.resolve("prepare.log"));
    assertThat(p.exitValue()).as(log).isZero();
    assertThat(modesSeen).as("the temp copy was seen while prepare ran").isNotEmpty();
    assertThat(modesSeen).as("modes of the temp copy (and its journal) while it was written").containsOnly("rw-------");
    assertThat(mode(base.resolve("prefs21.db"))).isEqualTo("rw-------");
    assertThat(leftover).as("our leftover temp copy is removed at start").doesNotExist();
    assertThat(leftoverJournal).doesNotExist();
    assertThat(notOurs).as("a name not of our making is left alone").exists();
  }

  private static List<String> command(String... args) {
    List<String> cmd = new ArrayList<>(List.of(SupervisorProcess.JAVA));
    cmd.addAll(SupervisorProcess.SMALL_JVM);
    cmd.addAll(List.of("-jar", Path.of(SupervisorProcess.JAR).toAbsolutePath().toString()));
    cmd.addAll(List.of(args));
    return cmd;
  }
}
