package dev.ankisupervisor.backup;

import dev.ankisupervisor.commands.TestSeams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What the backup ITs share: the jar's {@code backup} command line and what they read back. */
final class BackupJar {
  private static final String JAR = System.getProperty("anki.supervisor.jar", "supervisor/target/anki-supervisor.jar");

  private BackupJar() {}

  /** {@code anki-supervisor backup --source SOURCE --dest DEST FLAGS...} in a small JVM. */
  static List<String> command(Path source, Path dest, String... flags) {
    return command(Duration.ZERO, source, dest, flags);
  }

  /**
   * The same, pausing {@code copyPause} after each file copied (the test seam
   * {@value TestSeams#BACKUP_COPY_PAUSE_MS}), so a test can interrupt a copy on purpose.
   */
  static List<String> command(Duration copyPause, Path source, Path dest, String... flags) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx64m", "-XX:TieredStopAtLevel=1"));
    if (!copyPause.isZero()) {
      cmd.add("-D" + TestSeams.BACKUP_COPY_PAUSE_MS + "=" + copyPause.toMillis());
    }
    cmd.addAll(List.of("-jar", JAR, "backup", "--source", source.toString(), "--dest", dest.toString()));
    cmd.addAll(List.of(flags));
    return cmd;
  }

  /**
   * A {@code systemctl} in {@code bin} (put it first on the backup's PATH, where the command finds
   * it) that appends each call's arguments to {@code calls}, then runs {@code onCall} (shell).
   */
  static void writeRecordingSystemctl(Path bin, Path calls, String onCall) throws IOException {
    Files.createDirectories(bin);
    Path fake = bin.resolve("systemctl");
    Files.writeString(fake, "#!/bin/sh\necho \"$@\" >> '" + calls + "'\n" + onCall + "exit 0\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
  }

  /** The complete backups in {@code dest} (folders named by their UTC time), oldest first. */
  static List<String> completeBackups(Path dest) throws IOException {
    try (Stream<Path> s = Files.list(dest)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{8}T\\d{6}Z")).sorted().toList();
    }
  }

  /** The deck names in a copied collection. */
  static List<String> decks(Path collection) throws Exception {
    List<String> names = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + collection);
        Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select name from decks order by id")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }
}
