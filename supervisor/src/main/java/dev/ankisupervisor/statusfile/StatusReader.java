package dev.ankisupervisor.statusfile;

import dev.ankisupervisor.files.TextFile;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The one reader of the status file, for {@code status}, {@code check}, {@code doctor} and
 * {@code sync-now}. Stateless; any thread.
 */
public final class StatusReader {
  private StatusReader() {}

  /** What reading the file gave. */
  public sealed interface Read {}

  /**
   * The file parsed.
   *
   * @param document the document
   * @param raw the file's exact text ({@code status --json} prints it verbatim)
   */
  public record Parsed(StatusDocument document, String raw) implements Read {}

  /**
   * The file cannot be used (Nagios UNKNOWN).
   *
   * @param reason what failed and why, one line
   */
  public record Unusable(String reason) implements Read {}

  /** The largest status file read; the real one is about 2 KB. */
  public static final int MAX_BYTES = 1 << 20;

  public static Read read(Path file) {
    String raw;
    try {
      raw = TextFile.read(file, MAX_BYTES);
    } catch (NoSuchFileException e) {
      return new Unusable("status file " + file + " does not exist; the supervisor has not run, or --status-file"
          + " points elsewhere");
    } catch (IOException e) {
      return new Unusable("cannot use status file " + file + " (" + e.getMessage() + "); point --status-file at the"
          + " supervisor's sync-status.json");
    }
    return parse(file, raw);
  }

  /** Parses {@code raw}, the text of {@code file} (named in the reasons). */
  @SuppressWarnings("unchecked")
  public static Read parse(Path file, String raw) {
    Object tree;
    try {
      tree = StatusDocumentParser.tree(raw);
    } catch (IOException e) {
      return new Unusable("status file " + file + " is not JSON (" + firstLine(e) + ")");
    }
    if (!(tree instanceof Map<?, ?> root) || !(root.get("schema") instanceof Long number)
        || number != number.intValue() || !root.containsKey("supervisor")) {
      return new Unusable("status file " + file + " is not an anki-supervisor status file (no schema number or"
          + " supervisor object)");
    }
    int schema = number.intValue();
    if (schema > StatusDocument.SCHEMA) {
      return new Unusable("status file " + file + " has schema " + schema + "; this version reads up to "
          + StatusDocument.SCHEMA + "; use the anki-supervisor that wrote it");
    }
    try {
      return new Parsed(StatusDocumentParser.document((Map<String, Object>) root), raw);
    } catch (StatusDocumentParser.BadValue e) {
      return new Unusable("status file " + file + " does not match schema " + schema + " (" + firstLine(e) + ")");
    }
  }

  private static String firstLine(Exception e) {
    return String.valueOf(e.getMessage()).lines().findFirst().orElse("");
  }
}
