package dev.ankisupervisor.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The Debian mirror this machine's apt already uses, read at run time from
 * {@code /etc/apt/sources.list.d/*.sources} (deb822) or {@code /etc/apt/sources.list}, so the
 * container root comes from the same place as the host's packages and no mirror is written into
 * the project. Only a source carrying the main suite (not {@code -security}/{@code -updates}) counts.
 */
final class DebianMirror {
  private DebianMirror() {}

  static Optional<String> of(Path etcApt, String suite) throws IOException {
    Path dir = etcApt.resolve("sources.list.d");
    if (Files.isDirectory(dir)) {
      try (var files = Files.list(dir)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".sources")).sorted().toList()) {
          Optional<String> m = fromDeb822(Files.readString(f), suite);
          if (m.isPresent()) {
            return m;
          }
        }
      }
    }
    Path list = etcApt.resolve("sources.list");
    return Files.isRegularFile(list) ? fromOneLine(Files.readAllLines(list), suite) : Optional.empty();
  }

  /** deb822 stanzas: {@code Types: deb}, {@code URIs: ...}, {@code Suites: bookworm ...}. */
  static Optional<String> fromDeb822(String text, String suite) {
    for (String stanza : text.split("\\n\\s*\\n")) {
      String types = field(stanza, "Types");
      String uris = field(stanza, "URIs");
      String suites = field(stanza, "Suites");
      String enabled = field(stanza, "Enabled");
      if (List.of(types.split("\\s+")).contains("deb") && List.of(suites.split("\\s+")).contains(suite)
          && !uris.isBlank() && !enabled.equalsIgnoreCase("no")) {
        return Optional.of(uris.split("\\s+")[0]);
      }
    }
    return Optional.empty();
  }

  /** One-line format: {@code deb [options] URI SUITE COMPONENT...}. */
  static Optional<String> fromOneLine(List<String> lines, String suite) {
    for (String raw : lines) {
      String line = raw.replaceAll("#.*", "").replaceAll("\\[[^]]*]", " ").strip();
      String[] w = line.split("\\s+");
      if (w.length >= 3 && w[0].equals("deb") && w[2].equals(suite)) {
        return Optional.of(w[1]);
      }
    }
    return Optional.empty();
  }

  private static String field(String stanza, String name) {
    for (String line : stanza.lines().toList()) {
      if (!line.startsWith("#") && line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
        return line.substring(name.length() + 1).strip();
      }
    }
    return "";
  }
}
