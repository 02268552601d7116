package dev.ankisupervisor.backup;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The layout of the destination folder: a complete backup is a folder named for its UTC time
 * ({@code 20261126T091500Z}); one being written is {@code .incomplete-<time>} and is renamed into
 * place only once complete and verified, so no half backup ever looks complete.
 * Only folders matching these names are ever deleted. Called from the backup's one thread.
 */
final class BackupFolders {
  static final String INCOMPLETE_PREFIX = ".incomplete-";
  private static final DateTimeFormatter NAME =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern COMPLETE = Pattern.compile("\\d{8}T\\d{6}Z");

  private final Path dest;

  BackupFolders(Path dest) {
    this.dest = dest;
  }

  static String nameOf(Instant time) {
    return NAME.format(time.truncatedTo(ChronoUnit.SECONDS));
  }

  static Optional<Instant> timeOf(Path folder) {
    String name = folder.getFileName().toString();
    if (!COMPLETE.matcher(name).matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(NAME.parse(name, Instant::from));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** The complete backups, newest first. */
  List<Path> complete() throws IOException {
    try (Stream<Path> s = Files.list(dest)) {
      return s.filter(p -> Files.isDirectory(p) && timeOf(p).isPresent())
          .sorted(Comparator.comparing((Path p) -> timeOf(p).orElseThrow()).reversed())
          .toList();
    }
  }

  Optional<Path> newestComplete() throws IOException {
    return complete().stream().findFirst();
  }

  /** A fresh staging folder for a backup started at {@code time}. */
  Path createStaging(Instant time) throws IOException {
    return Files.createDirectory(dest.resolve(INCOMPLETE_PREFIX + nameOf(time)));
  }

  /** Where a complete backup of {@code time} goes; never an existing folder. */
  Path finalPathFor(Instant time) {
    return dest.resolve(nameOf(time));
  }

  /** Removes what an interrupted earlier run left behind; returns their names. */
  List<String> removeStale(Path keep) throws IOException {
    List<Path> stale;
    try (Stream<Path> s = Files.list(dest)) {
      stale = s.filter(p -> p.getFileName().toString().startsWith(INCOMPLETE_PREFIX) && !p.equals(keep)).toList();
    }
    for (Path p : stale) {
      deleteTree(p);
    }
    return stale.stream().map(p -> p.getFileName().toString()).toList();
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
