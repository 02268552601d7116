package dev.ankisupervisor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The backup rows of {@code bench/run.sh}: {@code anki-supervisor backup} (through the launcher,
 * default settings: a live copy, default retention) against {@link BackupAnchor}'s scripts on the
 * same generated folders ({@link BackupDataSet}): a first (full) backup, a second after new media
 * arrived (the databases unchanged), a third after the collection was written too; the two sides in
 * alternating order (ours first for the second, see {@link #measure}). Prints the samples and a table (figure | ours | anchor |
 * ratio | target | met), then, when {@code strace} is installed, the system calls of one untimed
 * first and second backup of ours ({@code strace -f -c}).
 *
 * <pre>
 * bench/run.sh [--quick] [--runs N] [--dir DIR]     (other bench flags are ignored here)
 * </pre>
 * Default: the 600 MB folder and the 30,000-file folder, min(--runs, 3) rounds; {@code --quick}: the
 * small folder, one round; {@code BENCH_BACKUP_SETS=large,many,small} picks others. Needs rsync,
 * sqlite3 and sha256sum.
 *
 * <p>Threading: main thread only.
 */
public final class BackupBench {
  /** The target: ours at most 1.5 times the anchor. */
  private static final double TARGET_RATIO = 1.5;

  private final Path dir;
  private final int runs;
  private final List<String[]> table = new ArrayList<>();

  private BackupBench(Path dir, int runs) {
    this.dir = dir;
    this.runs = runs;
  }

  public static void main(String[] args) throws Exception {
    boolean quick = false;
    int runs = 3;
    Path dir = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--runs" -> runs = Math.min(3, Integer.parseInt(args[++i]));
        case "--dir" -> dir = Path.of(args[++i]);
        case "--soak", "--sync-interval", "--status-runs", "--twin-opts" -> i++; // the supervisor rows' flags
        default -> { }
      }
    }
    for (String tool : List.of("rsync", "sqlite3", "sha256sum")) {
      if (!onPath(tool)) {
        System.err.println("bench: " + tool + " not found; apt-get install rsync sqlite3 (the backup rows' anchors)");
        System.exit(69);
      }
    }
    Path root = (dir == null ? Files.createTempDirectory("anki-bench-") : dir).resolve("backup");
    Files.createDirectories(root);
    System.setProperty("bench.cache", root.getParent().resolve("cache").toString());
    System.out.println("anki-supervisor backup bench, " + Instant.now() + ", folder " + root);
    System.out.println(Machine.describe());
    BackupBench bench = new BackupBench(root, quick ? 1 : Math.max(1, runs));
    bench.warmUp();
    // BENCH_BACKUP_SETS=large,many,small picks the folders (the environment: the supervisor rows'
    // parser refuses flags it does not know).
    List<BackupDataSet> sets = quick ? List.of(BackupDataSet.SMALL) : List.of(BackupDataSet.LARGE, BackupDataSet.MANY);
    String chosen = System.getenv("BENCH_BACKUP_SETS");
    if (chosen != null && !chosen.isBlank()) {
      sets = new ArrayList<>();
      for (String name : chosen.split(",")) {
        sets.add(switch (name.strip()) {
          case "large" -> BackupDataSet.LARGE;
          case "many" -> BackupDataSet.MANY;
          case "small" -> BackupDataSet.SMALL;
          default -> throw new IllegalArgumentException("BENCH_BACKUP_SETS: large, many or small, found " + name);
        });
      }
    }
    for (BackupDataSet set : sets) {
      bench.measure(set);
    }
    bench.printTable();
    System.out.println("load average at the end: " + Machine.loadAverage());
  }

  /**
   * Two untimed backups of a tiny folder: the launcher makes the class-data archive of `backup` at
   * its first run, which the timed runs then map, as every run after the first does on a server.
   */
  private void warmUp() throws Exception {
    Path home = dir.resolve("warm-up");
    deleteTree(home);
    Path source = Files.createDirectories(home.resolve("source"));
    new BackupDataSet("warm-up", 1, 20, 1, 2).generate(source, Files.createDirectories(home.resolve("scratch")));
    ours(source, home.resolve("dest"), "warm-up 1");
    ours(source, home.resolve("dest"), "warm-up 2");
    deleteTree(home);
  }

  private void measure(BackupDataSet set) throws Exception {
    Path home = dir.resolve(set.mediaFiles() + "-media");
    deleteTree(home);
    Path source = Files.createDirectories(home.resolve("source"));
    Path user = set.generate(source, Files.createDirectories(home.resolve("scratch")));
    List<Path> databases = List.of(source.relativize(user.resolve("collection.anki2")),
        source.relativize(user.resolve("media.db")));
    Stats oursFull = new Stats();
    Stats anchorFull = new Stats();
    Stats oursIncr = new Stats();
    Stats anchorIncr = new Stats();
    Stats oursWritten = new Stats();
    Stats anchorWritten = new Stats();
    for (int r = 0; r < runs; r++) {
      Path ours = home.resolve("ours-" + r);
      Path anchor = home.resolve("anchor-" + r);
      boolean oursFirst = r % 2 == 0;
      for (int k = 0; k < 2; k++) {
        if ((k == 0) == oursFirst) {
          oursFull.add(ours(source, ours, "first"));
        } else {
          anchorFull.add(timed(BackupAnchor.full(source, anchor.resolve("1")), "anchor first"));
          removeShm(user);
        }
      }
      set.addMedia(user, 10, r + 1); // a day without reviews: a few new media files, the databases unchanged
      // Ours first in every round: the anchor's sqlite3 shell changes the source's -wal (its ctime,
      // even read-only), a change ours then rightly copies, which a quiet server's night does not make.
      oursIncr.add(ours(source, ours, "second (databases unchanged)"));
      anchorIncr.add(timed(BackupAnchor.incremental(source, anchor.resolve("1"), anchor.resolve("2"), databases),
          "anchor second"));
      removeShm(user);
      set.addMedia(user, 10, 100 + r);
      set.writeCollection(user, 200, r + 1); // a day of syncing: reviews and edits in the collection
      for (int k = 0; k < 2; k++) {
        if ((k == 0) == oursFirst) {
          oursWritten.add(ours(source, ours, "third (collection written)"));
        } else {
          anchorWritten.add(timed(BackupAnchor.incremental(source, anchor.resolve("2"), anchor.resolve("3"), databases),
              "anchor third"));
          removeShm(user);
        }
      }
      if (r == 0) {
        strace(source, home.resolve("strace"));
      }
      deleteTree(ours);
      deleteTree(anchor);
      for (String n : List.of("2", "3")) {
        deleteTree(Path.of(anchor.resolve(n) + ".databases"));
      }
    }
    System.out.printf(Locale.ROOT, "%s: ours first %s second %s third %s ms; anchor first %s second %s third %s ms%n",
        set.name(), oursFull, oursIncr, oursWritten, anchorFull, anchorIncr, anchorWritten);
    row(set.name() + ": first (full) backup", oursFull, anchorFull, "rsync -a + sync + sha256sum");
    String incremental = "rsync --link-dest + sqlite3 .backup x2 + integrity_check + sync";
    row(set.name() + ": second backup, new media, databases unchanged", oursIncr, anchorIncr, incremental);
    row(set.name() + ": third backup, new media, collection written", oursWritten, anchorWritten, incremental);
    deleteTree(home);
  }

  /**
   * One backup of ours into {@code dest}, timed from process start to exit; fails the bench unless
   * exit 0. First, untimed, it lets the source's files settle: the anchor's sqlite3 shell changes the
   * {@code -wal}'s ctime even read-only, which would cost ours a second database pass that a
   * server's quiet night does not.
   */
  private double ours(Path source, Path dest, String what) throws Exception {
    settle(source);
    return timed(Tools.launcher("backup", "--source", source.toString(), "--dest", dest.toString()), "ours " + what);
  }

  /**
   * Runs {@code command} timed, after an untimed {@code sync}: each side then writes back only what
   * it wrote itself, not the previous run's copy or the bench's deletions.
   */
  private double timed(List<String> command, String what) throws Exception {
    Path log = dir.resolve("bench.log");
    Tools.runToEnd(List.of("sync"), Map.of(), log, 600);
    Files.writeString(log, "== " + what + ": " + String.join(" ", command) + "\n", java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    long t0 = System.nanoTime();
    int code = Tools.runToEnd(command, Map.of(), log, 3600);
    double ms = (System.nanoTime() - t0) / 1e6;
    if (code != 0) {
      throw new IOException(what + " exited " + code + "; see " + log);
    }
    System.out.printf(Locale.ROOT, "  %s: %.0f ms%n", what, ms);
    return ms;
  }

  /**
   * One untimed first and second backup of ours under {@code strace -f -c}: how many fsync, syncfs,
   * read and write calls they make (the summary is printed as strace writes it).
   */
  private void strace(Path source, Path dest) throws Exception {
    if (!onPath("strace")) {
      System.out.println("strace not installed: no system-call counts");
      return;
    }
    for (String run : List.of("first", "second")) {
      Path out = dir.resolve("strace-" + run + ".txt");
      List<String> cmd = new ArrayList<>(List.of("strace", "-f", "-c", "-o", out.toString()));
      cmd.addAll(Tools.launcher("backup", "--source", source.toString(), "--dest", dest.toString()));
      Tools.runToEnd(cmd, Map.of(), dir.resolve("bench.log"), 3600);
      System.out.println("strace -f -c of ours, " + run + " backup (calls of interest):");
      for (String line : Files.readAllLines(out)) {
        String[] f = line.strip().split("\\s+");
        String name = f[f.length - 1];
        if (List.of("fsync", "fdatasync", "syncfs", "sync", "read", "pread64", "write", "pwrite64", "openat", "link",
            "linkat", "copy_file_range", "newfstatat", "statx", "lstat", "total").contains(name)) {
          System.out.println("    " + line.strip());
        }
      }
    }
    deleteTree(dest);
  }

  private void row(String figure, Stats ours, Stats anchor, String anchorName) {
    double ratio = ours.median() / anchor.median();
    table.add(new String[] {figure, String.format(Locale.ROOT, "%.0f ms", ours.median()),
        String.format(Locale.ROOT, "%.0f ms (%s)", anchor.median(), anchorName), String.format(Locale.ROOT, "%.2fx", ratio),
        "<= " + TARGET_RATIO + "x", ratio <= TARGET_RATIO ? "yes" : "NO"});
  }

  private void printTable() {
    System.out.println();
    System.out.println("| figure | ours | anchor | ratio | target | met |");
    System.out.println("|---|---|---|---|---|---|");
    for (String[] r : table) {
      System.out.println("| " + String.join(" | ", r) + " |");
    }
  }

  /** Waits until every file of the source changed more than the backup's settling time ago. */
  private static void settle(Path source) throws Exception {
    long last = 0;
    try (Stream<Path> s = Files.walk(source)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        last = Math.max(last, ((java.nio.file.attribute.FileTime) Files.getAttribute(p, "unix:ctime")).toMillis());
      }
    }
    long wait = last + 2300 - System.currentTimeMillis();
    if (wait > 0) {
      Thread.sleep(wait);
    }
  }

  /** The sqlite3 shell leaves a -shm next to the source's databases; the server would not have one. */
  private static void removeShm(Path user) throws IOException {
    try (Stream<Path> s = Files.list(user)) {
      for (Path p : s.filter(f -> f.getFileName().toString().endsWith("-shm")).toList()) {
        Files.delete(p);
      }
    }
  }

  private static boolean onPath(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      if (Files.isExecutable(Path.of(d, tool))) {
        return true;
      }
    }
    return false;
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
