package dev.ankisupervisor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;

/**
 * A generated sync-server data folder for the backup rows (S2's layout, one user): a WAL-mode
 * {@code collection.anki2} of about {@code collectionMb} MB with a {@code -wal} of a few MB next
 * to it (as a running server leaves it), a {@code media.db} in WAL mode listing the media files,
 * and {@code mediaFiles} files in {@code media/} of {@code minKb}-{@code maxKb} KB of random bytes.
 * Seeded: the same spec gives the same bytes. Nothing holds the databases open afterwards.
 *
 * <p>Threading: the bench's main thread.
 */
record BackupDataSet(String name, int collectionMb, int mediaFiles, int minKb, int maxKb) {
  /** The measured folder: 150 MB collection, 3,000 media files, about 600 MB in all. */
  static final BackupDataSet LARGE = new BackupDataSet("large (150 MB collection, 3,000 media, ~600 MB)", 150, 3000, 50, 250);
  /** Many small media files: 30,000 of 1-50 KB, the same collection. */
  static final BackupDataSet MANY = new BackupDataSet("many (150 MB collection, 30,000 media of 1-50 KB)", 150, 30_000, 1, 50);
  /** The quick mode's small folder. */
  static final BackupDataSet SMALL = new BackupDataSet("small (20 MB collection, 2,000 media of 1-50 KB)", 20, 2000, 1, 50);

  private static final int ROW_BYTES = 16 * 1024;

  /** Writes the folder under {@code base} ({@code base/user1/...}); returns the user folder. */
  Path generate(Path base, Path scratch) throws IOException, SQLException {
    Path user = Files.createDirectories(base.resolve("user1"));
    Random random = new Random(20_261_126L);
    walDatabase(scratch.resolve("collection.anki2"), user.resolve("collection.anki2"), collectionMb, random,
        "create table notes (id integer primary key, flds blob)", "insert into notes (flds) values (?)");
    walDatabase(scratch.resolve("media.db"), user.resolve("media.db"), Math.max(1, mediaFiles / 2000), random,
        "create table media (id integer primary key, csum blob)", "insert into media (csum) values (?)");
    Path media = Files.createDirectories(user.resolve("media"));
    long mediaBytes = 0;
    for (int i = 0; i < mediaFiles; i++) {
      mediaBytes += writeMedia(media, "m" + i + ".jpg", random);
    }
    System.out.printf("data set %s: %d media files, %d MB of media%n", name, mediaFiles, mediaBytes >> 20);
    return user;
  }

  /** Adds {@code n} media files, as a day of syncing would. */
  void addMedia(Path user, int n, int day) throws IOException {
    Random random = new Random(day);
    for (int i = 0; i < n; i++) {
      writeMedia(user.resolve("media"), "day" + day + "-" + i + ".jpg", random);
    }
  }

  /**
   * Writes {@code rows} rows into the collection, as a day of reviews and edits synced in would;
   * the connection's close folds its WAL into the database, as the server's does when idle.
   */
  void writeCollection(Path user, int rows, int day) throws SQLException {
    Random random = new Random(1000L + day);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + user.resolve("collection.anki2"))) {
      c.setAutoCommit(false);
      try (PreparedStatement p = c.prepareStatement("insert into notes (flds) values (?)")) {
        byte[] b = new byte[2000];
        for (int i = 0; i < rows; i++) {
          random.nextBytes(b);
          p.setBytes(1, b);
          p.executeUpdate();
        }
      }
      c.commit();
    }
  }

  private long writeMedia(Path media, String name, Random random) throws IOException {
    byte[] b = new byte[(minKb + random.nextInt(maxKb - minKb + 1)) * 1024];
    random.nextBytes(b);
    Files.write(media.resolve(name), b);
    return b.length;
  }

  /**
   * Fills a WAL-mode database to about {@code mb} MB, the last few MB only in its {@code -wal}, and
   * copies both files to {@code target} while the connection still holds them (closing it would
   * fold the WAL in and remove it).
   */
  private static void walDatabase(Path scratch, Path target, int mb, Random random, String create, String insert)
      throws SQLException, IOException {
    Files.deleteIfExists(scratch);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + scratch)) {
      try (Statement s = c.createStatement()) {
        s.execute("pragma journal_mode=wal");
        s.execute("pragma locking_mode=exclusive");
        s.execute(create);
      }
      int rows = mb * (1024 * 1024 / ROW_BYTES);
      int walRows = Math.max(1, rows / 40);
      c.setAutoCommit(false);
      try (PreparedStatement p = c.prepareStatement(insert)) {
        byte[] b = new byte[ROW_BYTES - 200];
        for (int i = 0; i < rows; i++) {
          if (i == rows - walRows) {
            c.commit();
            try (Statement s = c.createStatement()) {
              s.execute("pragma wal_checkpoint(truncate)");
              s.execute("pragma wal_autocheckpoint=0");
            }
          }
          random.nextBytes(b);
          p.setBytes(1, b);
          p.executeUpdate();
          if (i % 500 == 499) {
            c.commit();
          }
        }
      }
      c.commit();
      Files.copy(scratch, target, StandardCopyOption.REPLACE_EXISTING);
      Files.copy(Path.of(scratch + "-wal"), Path.of(target + "-wal"), StandardCopyOption.REPLACE_EXISTING);
    }
    Files.deleteIfExists(scratch);
  }
}
