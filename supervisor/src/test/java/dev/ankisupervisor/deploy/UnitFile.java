package dev.ankisupervisor.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed systemd unit file: section -> key -> values in order (a key may repeat), with
 * backslash continuation lines joined and comments dropped. Test-only; immutable once read.
 */
final class UnitFile {
  private final Path path;
  private final Map<String, Map<String, List<String>>> sections;

  private UnitFile(Path path, Map<String, Map<String, List<String>>> sections) {
    this.path = path;
    this.sections = sections;
  }

  static UnitFile read(Path path) throws IOException {
    Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
    String section = null;
    StringBuilder pending = null;
    for (String raw : Files.readAllLines(path)) {
      String line = raw.strip();
      if (pending == null && (line.isEmpty() || line.startsWith("#") || line.startsWith(";"))) {
        continue;
      }
      if (pending != null && (line.startsWith("#") || line.startsWith(";"))) {
        continue; // comment lines inside a continued line are skipped, as systemd does
      }
      if (pending == null && line.startsWith("[") && line.endsWith("]")) {
        section = line.substring(1, line.length() - 1);
        sections.putIfAbsent(section, new LinkedHashMap<>());
        continue;
      }
      boolean continues = line.endsWith("\\");
      String part = continues ? line.substring(0, line.length() - 1).strip() : line;
      pending = pending == null ? new StringBuilder(part) : pending.append(' ').append(part);
      if (continues) {
        continue;
      }
      String entry = pending.toString();
      pending = null;
      int eq = entry.indexOf('=');
      if (section == null || eq < 0) {
        throw new IOException(path + ": line outside a section or without '=': " + entry);
      }
      sections.get(section)
          .computeIfAbsent(entry.substring(0, eq).strip(), k -> new ArrayList<>())
          .add(entry.substring(eq + 1).strip());
    }
    return new UnitFile(path, sections);
  }

  /** The last value of a key (systemd's rule for single-valued settings), if set. */
  Optional<String> value(String section, String key) {
    List<String> all = values(section, key);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /** Every key of a section with its values, in file order. */
  Map<String, List<String>> section(String section) {
    return java.util.Collections.unmodifiableMap(sections.getOrDefault(section, Map.of()));
  }

  List<String> values(String section, String key) {
    return List.copyOf(sections.getOrDefault(section, Map.of()).getOrDefault(key, List.of()));
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
