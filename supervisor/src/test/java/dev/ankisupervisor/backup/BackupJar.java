package dev.ankisupervisor.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What the backup ITs share: the jar's {@code backup} command line and what they read back. */
final class BackupJar {
  private static final String JAR = System.getProperty("anki.supervisor.jar", "supervisor/target/anki-supervisor.jar");

  private BackupJar() {}

  /** {@code anki-supervisor backup --source SOURCE --dest DEST FLAGS...} in a small JVM. */
  static List<String> command(Path source, Path dest, String... flags) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx64m", "-XX:TieredStopAtLevel=1", "-jar", JAR, "backup", "--source", source.toString(), "--dest",
        dest.toString()));
    cmd.addAll(List.of(flags));
    return cmd;
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
