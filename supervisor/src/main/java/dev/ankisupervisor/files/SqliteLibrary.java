package dev.ankisupervisor.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Points sqlite-jdbc at one copy of its native library in the cache folder
 * ({@code $CACHE_DIRECTORY} under systemd, else {@code ${XDG_CACHE_HOME:-~/.cache}/anki-supervisor}),
 * unpacked there once per sqlite-jdbc version and architecture, instead of the fresh copy in
 * {@code /tmp} that sqlite-jdbc unpacks (and compares, and cleans up after) at every start. The copy
 * is written under a temp name and renamed, so a concurrent start never loads half a file. When
 * anything fails (no cache folder, read-only, an unknown architecture), nothing is set and
 * sqlite-jdbc unpacks its library as it always does.
 *
 * <p>Threading: call {@link #useCachedCopy} before the first SQLite connection, from any thread;
 * only the first call does anything.
 */
public final class SqliteLibrary {
  private static final String NAME = "libsqlitejdbc.so";
  private static boolean done;

  private SqliteLibrary() {}

  /** Sets {@code org.sqlite.lib.path}/{@code org.sqlite.lib.name} to the cached copy, unpacking it if needed. */
  public static synchronized void useCachedCopy() {
    if (done) {
      return;
    }
    done = true;
    if (System.getProperty("org.sqlite.lib.path") != null) {
      return;
    }
    try {
      Optional<Path> folder = folder(System.getenv());
      if (folder.isPresent() && ensureCopy(folder.get())) {
        System.setProperty("org.sqlite.lib.path", folder.get().toString());
        System.setProperty("org.sqlite.lib.name", NAME);
      }
    } catch (IOException | RuntimeException e) {
      // sqlite-jdbc then unpacks its own copy into the temp folder, as without this class.
    }
  }

  /** {@code <cache>/sqlite-<version>-<arch>}, or empty when the platform or version is unknown. */
  static Optional<Path> folder(Map<String, String> env) throws IOException {
    String arch = switch (System.getProperty("os.arch", "")) {
      case "amd64", "x86_64" -> "x86_64";
      case "aarch64" -> "aarch64";
      default -> "";
    };
    Optional<Path> cache = CacheFolder.of(env);
    if (arch.isEmpty() || !System.getProperty("os.name", "").equals("Linux") || cache.isEmpty()) {
      return Optional.empty();
    }
    Properties pom = new Properties();
    try (InputStream in = SqliteLibrary.class.getResourceAsStream("/META-INF/maven/org.xerial/sqlite-jdbc/pom.properties")) {
      if (in == null) {
        return Optional.empty();
      }
      pom.load(in);
    }
    String version = pom.getProperty("version", "");
    return version.isEmpty() ? Optional.empty() : Optional.of(cache.get().resolve("sqlite-" + version + "-" + arch));
  }

  private static boolean ensureCopy(Path folder) throws IOException {
    Path lib = folder.resolve(NAME);
    String resource = "/org/sqlite/native/Linux/" + folder.getFileName().toString().replaceFirst(".*-", "") + "/" + NAME;
    if (Files.isRegularFile(lib) && Files.size(lib) > 0) {
      return true;
    }
    try (InputStream in = SqliteLibrary.class.getResourceAsStream(resource)) {
      if (in == null) {
        return false;
      }
      Files.createDirectories(folder);
      Path temp = Files.createTempFile(folder, ".libsqlitejdbc", ".tmp");
      try {
        Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(temp, lib, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temp);
      }
    }
    return true;
  }
}
