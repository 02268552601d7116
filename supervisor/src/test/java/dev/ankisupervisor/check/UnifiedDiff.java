package dev.ankisupervisor.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of unified diffs for the patch tests: free text before the first {@code ---}
 * header, then per file a {@code --- a/X} / {@code +++ b/X} pair and hunks whose line counts must
 * match their {@code @@ -l,s +l,s @@} header exactly. Throws {@link IllegalArgumentException}
 * naming the line that breaks the format.
 */
record UnifiedDiff(List<FileDiff> files) {
  private static final Pattern HUNK = Pattern.compile("@@ -(\\d+)(?:,(\\d+))? \\+(\\d+)(?:,(\\d+))? @@.*");

  record FileDiff(String oldPath, String newPath, List<Hunk> hunks) {}

  /** One hunk: where it sits in the old file, and its body lines with their ' ', '-', '+' marks. */
  record Hunk(int oldStart, int oldCount, int newStart, int newCount, List<String> lines) {
    List<String> added() {
      return lines.stream().filter(l -> l.startsWith("+")).map(l -> l.substring(1)).toList();
    }

    List<String> removed() {
      return lines.stream().filter(l -> l.startsWith("-")).map(l -> l.substring(1)).toList();
    }

    /** The last old-file line this hunk covers (context included). */
    int oldEnd() {
      return oldStart + oldCount - 1;
    }
  }

  static UnifiedDiff read(Path file) throws IOException {
    return parse(Files.readAllLines(file));
  }

  static UnifiedDiff parse(List<String> lines) {
    List<FileDiff> files = new ArrayList<>();
    int i = 0;
    while (i < lines.size() && !lines.get(i).startsWith("--- ")) {
      i++; // the patch's description
    }
    while (i < lines.size()) {
      String minus = lines.get(i);
      if (!minus.startsWith("--- ") || i + 1 >= lines.size() || !lines.get(i + 1).startsWith("+++ ")) {
        throw new IllegalArgumentException("line " + (i + 1) + ": expected a '--- a/...' '+++ b/...' header, found: " + minus);
      }
      String oldPath = path(minus);
      String newPath = path(lines.get(i + 1));
      i += 2;
      List<Hunk> hunks = new ArrayList<>();
      while (i < lines.size() && lines.get(i).startsWith("@@")) {
        Matcher m = HUNK.matcher(lines.get(i));
        if (!m.matches()) {
          throw new IllegalArgumentException("line " + (i + 1) + ": bad hunk header: " + lines.get(i));
        }
        int oldStart = Integer.parseInt(m.group(1));
        int oldCount = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
        int newStart = Integer.parseInt(m.group(3));
        int newCount = m.group(4) == null ? 1 : Integer.parseInt(m.group(4));
        i++;
        List<String> body = new ArrayList<>();
        int olds = 0;
        int news = 0;
        while (olds < oldCount || news < newCount) {
          if (i >= lines.size()) {
            throw new IllegalArgumentException("hunk at " + oldStart + " of " + oldPath + " ends early: expected "
                + oldCount + " old and " + newCount + " new lines, found " + olds + " and " + news);
          }
          String l = lines.get(i);
          char mark = l.isEmpty() ? ' ' : l.charAt(0); // some tools drop the space of an empty context line
          switch (mark) {
            case ' ' -> { olds++; news++; }
            case '-' -> olds++;
            case '+' -> news++;
            case '\\' -> { }
            default -> throw new IllegalArgumentException("line " + (i + 1) + ": not a hunk line: " + l);
          }
          body.add(l.isEmpty() ? " " : l);
          i++;
        }
        if (olds != oldCount || news != newCount) {
          throw new IllegalArgumentException("hunk at " + oldStart + " of " + oldPath + ": header says " + oldCount + "/"
              + newCount + " lines, body has " + olds + "/" + news);
        }
        while (i < lines.size() && lines.get(i).startsWith("\\")) {
          i++; // "\ No newline at end of file"
        }
        hunks.add(new Hunk(oldStart, oldCount, newStart, newCount, List.copyOf(body)));
      }
      if (hunks.isEmpty()) {
        throw new IllegalArgumentException(oldPath + ": a file header without hunks");
      }
      files.add(new FileDiff(oldPath, newPath, List.copyOf(hunks)));
      if (i < lines.size() && !lines.get(i).startsWith("--- ")) {
        throw new IllegalArgumentException("line " + (i + 1) + ": text after the hunks of " + oldPath + ": " + lines.get(i));
      }
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no '--- a/...' header: not a unified diff");
    }
    return new UnifiedDiff(List.copyOf(files));
  }

  private static String path(String header) {
    String p = header.substring(4);
    int tab = p.indexOf('\t');
    return tab >= 0 ? p.substring(0, tab) : p.strip();
  }

  List<String> added() {
    return files.stream().flatMap(f -> f.hunks().stream()).flatMap(h -> h.added().stream()).toList();
  }

  FileDiff file(String newPath) {
    return files.stream().filter(f -> f.newPath().equals(newPath)).findFirst()
        .orElseThrow(() -> new AssertionError("the patch does not touch " + newPath));
  }
}
